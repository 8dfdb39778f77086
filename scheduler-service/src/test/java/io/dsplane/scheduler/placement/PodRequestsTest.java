package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.resourcePod;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PodRequests remembers parsed quantities by their whole text, so a unit never borrows another's value. */
class PodRequestsTest {

    @ParameterizedTest(name = "{0} then {2}")
    @CsvSource({
            "1, 1, 1m, 0.001",
            "1m, 0.001, 1, 1",
            "2, 2, 2000m, 2",
            "abc, 0, 1, 1",
            "500m, 0.5, 500m, 0.5",
    })
    void cpuRequestsAreReadTheSameWhetherOrNotTheTextWasSeenBefore(String first, String firstCores, String second,
            String secondCores) {
        for (int round = 0; round < 2; round++) {
            assertThat(PodRequests.request(resourcePod("a", "n1", first, null, null, 0), "cpu"))
                    .isEqualByComparingTo(new BigDecimal(firstCores));
            assertThat(PodRequests.request(resourcePod("b", "n1", second, null, null, 0), "cpu"))
                    .isEqualByComparingTo(new BigDecimal(secondCores));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "1Gi, 1073741824",
            "1G, 1000000000",
            "1Mi, 1048576",
            "1M, 1000000",
    })
    void memoryUnitsKeepTheirOwnValue(String quantity, String bytes) {
        for (int round = 0; round < 2; round++) {
            assertThat(PodRequests.request(resourcePod("a", "n1", null, quantity, null, 0), "memory"))
                    .isEqualByComparingTo(new BigDecimal(bytes));
        }
    }
}
