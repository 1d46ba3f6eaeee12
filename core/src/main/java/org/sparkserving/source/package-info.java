/**
 * The read side of the {@code serving} format: streams whose offsets are each server's last
 * admitted seq, input partitions bound to one server and a fixed seq range, and readers that turn
 * waiting requests into rows.
 */
package org.sparkserving.source;
