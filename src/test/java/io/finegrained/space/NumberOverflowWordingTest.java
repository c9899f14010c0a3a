package io.finegrained.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.finegrained.config.ConfigException;
import io.finegrained.train.SettingException;
import io.finegrained.train.TrainerConfig;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A number beyond what a setting holds is "too large" above and "too small" below, with the
 * bound, wherever it is read (issue #14: a negative overflow was worded "too large").
 */
class NumberOverflowWordingTest {

    @Test
    void anIntegerBeyondALongFromValuesSaysTooLargeOrTooSmall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamKind.INT.coerce(new BigInteger("-99999999999999999999")));
        assertEquals("the number -99999999999999999999 is too small (at least -9223372036854775808)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParamKind.INT.coerce(new BigInteger("99999999999999999999")));
        assertEquals("the number 99999999999999999999 is too large (at most 9223372036854775807)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ParamKind.INT_LIST.coerce(List.of(1L, new BigInteger("-9223372036854775809"))));
        assertEquals("the number -9223372036854775809 is too small (at least -9223372036854775808)", e.getMessage());
        assertEquals(Long.MIN_VALUE, ParamKind.INT.coerce(BigInteger.valueOf(Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE, ParamKind.INT.coerce(BigInteger.valueOf(Long.MAX_VALUE)));
    }

    @Test
    void anIntParameterBeyondAnIntSaysTooSmallBelow() {
        ModuleSpec spec = ModuleSpec.builder("X").set("n", -3_000_000_000L).set("m", 3_000_000_000L).build();
        SpecException e = assertThrows(SpecException.class, () -> spec.getInt("n"));
        assertEquals("n -3000000000 is too small (at least -2147483648)", e.problem());
        e = assertThrows(SpecException.class, () -> spec.getInt("m"));
        assertEquals("m 3000000000 is too large (at most 2147483647)", e.problem());
    }

    @Test
    void aTrainerIntegerBeyondAnIntSaysTooSmallBelow() {
        SettingException e = assertThrows(SettingException.class,
                () -> TrainerConfig.defaults().withOverrides(Map.of("trainer.batch_size", -3_000_000_000L)));
        assertEquals("trainer.batch_size: the number -3000000000 is too small (at least -2147483648)", e.getMessage());
        e = assertThrows(SettingException.class, () -> TrainerConfig.defaults().withOverrides(Map.of("epochs", 3_000_000_000L)));
        assertEquals("trainer.epochs: the number 3000000000 is too large (at most 2147483647)", e.getMessage());
    }

    @Test
    void aWrittenNumberBelowALongIsTooSmallLocated() {
        ConfigException e = assertThrows(ConfigException.class, () -> SeedSpaces.text("search_space:\n  hyper_parameters:\n"
                + "    n: {type: INT, range: [-99999999999999999999, 0]}\n"));
        assertEquals("test.yml:3:28: search_space.hyper_parameters.n.range[0]: the number -99999999999999999999 is too small"
                + " (at least -9223372036854775808)", e.getMessage());
    }
}
