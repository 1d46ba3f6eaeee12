/**
 * Getting requests and replies to the JVM that holds their clients: directly when the service
 * instance lives in this JVM, otherwise through its authenticated internal endpoint, batched.
 */
package org.sparkserving.routing;
