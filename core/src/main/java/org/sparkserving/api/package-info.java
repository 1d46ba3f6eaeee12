/**
 * What users code against besides the {@code serving} format: the option names and defaults, the
 * parsed options, and the lookup of a running service's addresses.
 */
package org.sparkserving.api;
