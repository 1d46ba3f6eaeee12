package org.sparkserving.e2e;

/**
 * The same promises with {@code mode} {@code distributed}: the executor's server, not the driver's.
 */
class DistributedContinuousTriggerTest extends ContinuousTriggerTest {

  @Override
  String mode() {
    return "distributed";
  }
}
