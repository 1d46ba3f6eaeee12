/**
 * The machinery behind {@link org.sparkserving.ServingFunctions}: JSON request parsing that answers
 * bad bodies with 400 itself, and the reply struct builders. Users call {@code ServingFunctions}.
 */
package org.sparkserving.functions;
