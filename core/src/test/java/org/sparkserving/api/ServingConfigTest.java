package org.sparkserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingConfigTest {

  @Test
  void defaultsAndCaseInsensitiveNames() {
    ServingConfig c =
        ServingConfig.parse(
            Map.of("NAME", "api", "MaxRequestBytes", "2k", "replytimeout", "1500ms"));
    assertThat(c.requireName()).isEqualTo("api");
    assertThat(c.host()).isEqualTo("localhost");
    assertThat(c.port()).isZero();
    assertThat(c.mode()).isEqualTo(ServingConfig.Mode.HEAD);
    assertThat(c.limits().maxRequestBytes()).isEqualTo(2048);
    assertThat(c.limits().replyTimeoutMs()).isEqualTo(1500);
    assertThat(c.limits().maxPendingRequests()).isEqualTo(10000);
    assertThat(c.replyCol()).isEqualTo("reply");
  }

  @Test
  void invalidValuesNameTheOptionAndTheFix() {
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("port", "70000")))
        .hasMessage("Invalid value '70000' for option 'port': must be an integer from 0 to 65535");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("mode", "cluster")))
        .hasMessage("Invalid value 'cluster' for option 'mode': must be 'head' or 'distributed'");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("maxRequestBytes", "lots")))
        .hasMessageStartingWith("Invalid value 'lots' for option 'maxRequestBytes'");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("numPartitions", "0")))
        .hasMessageStartingWith("Invalid value '0' for option 'numPartitions'");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("name", "a/b")))
        .hasMessageStartingWith("Invalid value 'a/b' for option 'name'");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of()).requireName())
        .hasMessageStartingWith("Missing option 'name'");
  }

  @Test
  void serverLimitsHaveDocumentedDefaultsAndParseUnits() {
    assertThat(ServingConfig.parse(Map.of()).serverLimits())
        .isEqualTo(org.sparkserving.http.ServerLimits.DEFAULTS);
    ServingConfig c =
        ServingConfig.parse(
            Map.of(
                "maxconnections", "50",
                "idleTimeout", "200ms",
                "requestReadTimeout", "1s",
                "maxPipelinedRequests", "4",
                "maxOutboundBytes", "32k",
                "maxPendingBytes", "2m",
                "maxInternalRequestBytes", "8m",
                "maxHeaderBytes", "2k"));
    assertThat(c.limits().server())
        .isEqualTo(
            new org.sparkserving.http.ServerLimits(
                50, 200, 1000, 4, 32 << 10, 2 << 20, 8 << 20, 2 << 10));
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("maxConnections", "0")))
        .hasMessage(
            "Invalid value '0' for option 'maxConnections': must be an integer from 1 to "
                + Integer.MAX_VALUE);
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("idleTimeout", "soon")))
        .hasMessageStartingWith("Invalid value 'soon' for option 'idleTimeout'");
    assertThatThrownBy(() -> ServingConfig.parse(Map.of("maxPendingBytes", "-1")))
        .hasMessageStartingWith("Invalid value '-1' for option 'maxPendingBytes'");
  }
}
