package org.sparkserving.sink;

import java.util.Map;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The reply path as a {@code foreach} writer, for Spark's real-time mode, which accepts only
 * allow-listed sinks. Same behaviour as {@code format("serving")}: each row answers its request as
 * soon as it is processed. Create it with {@link org.sparkserving.Serving#replyWriter}.
 */
public final class ServingForeachWriter extends ForeachWriter<Row> {

  private static final long serialVersionUID = 1L;

  private final String idCol;
  private final String replyCol;
  private final Map<String, String> secrets;
  private transient RowReplier replier;

  public ServingForeachWriter(String idCol, String replyCol) {
    this.idCol = idCol;
    this.replyCol = replyCol;
    this.secrets = ServingWrite.localSecrets();
  }

  @Override
  public boolean open(long partitionId, long epochId) {
    return true;
  }

  @Override
  public void process(Row row) {
    if (replier == null) {
      // The schema is known only once rows arrive; it is the same for every row of the query.
      replier = new RowReplier(ReplyColumns.resolve(row.schema(), idCol, replyCol), secrets);
    }
    replier.reply((InternalRow) CatalystTypeConverters.convertToCatalyst(row));
  }

  @Override
  public void close(Throwable error) {
    if (replier != null) {
      replier.flush();
    }
  }
}
