/**
 * The write side of the {@code serving} format: data writers that turn each row's reply column into
 * an HTTP response and route it to the client's server the moment the row is written.
 */
package org.sparkserving.sink;
