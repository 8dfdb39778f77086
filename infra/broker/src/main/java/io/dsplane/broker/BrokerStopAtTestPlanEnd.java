package io.dsplane.broker;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops this JVM's test broker once every test has run (Quarkus applications under test are stopped
 * by then), so that it is closed before the JVM exits rather than racing the test kit's own shutdown
 * hooks (see {@link KafkaTestResource}). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; does nothing when no
 * broker was started.
 */
public final class BrokerStopAtTestPlanEnd implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        KafkaTestResource.stopBroker();
    }
}
