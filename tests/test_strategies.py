import attrs

from hypothesis import Phase, find, given, settings

from mobility import Bound, Limit, Protocol, SafetyLimits, Source, validate
from mobility.research.strategies import _safe_drawing, protocols, safe_protocols


STRICT = attrs.evolve(
    SafetyLimits(),
    name="strict trial",
    hold_seconds=Limit(
        label="static hold",
        unit="s",
        maximum=Bound(20, Source("Our trial", inferred=True)),
    ),
    session_minutes=Limit(
        label="estimated session length",
        unit="min",
        maximum=Bound(5, Source("Our trial", inferred=True)),
    ),
)


class TestSafeProtocols:
    # These draw from the strategy's drawing itself, without the validating filter
    # that safe_protocols() adds: a protocol the drawing gets wrong fails here
    # instead of being dropped.

    @settings(max_examples=200)
    @given(_safe_drawing(SafetyLimits()))
    def test_pass_the_default_limits(self, protocol: Protocol) -> None:
        """Every protocol drawn has no errors under the adult limits."""
        assert validate(protocol).ok

    @settings(max_examples=100)
    @given(_safe_drawing(SafetyLimits.older_adults()))
    def test_pass_other_limits(self, protocol: Protocol) -> None:
        """Under the limits given, not only the defaults."""
        assert validate(protocol, SafetyLimits.older_adults()).ok

    @settings(max_examples=100)
    @given(_safe_drawing(SafetyLimits.before_performance()))
    def test_pass_the_before_performance_limits(self, protocol: Protocol) -> None:
        """The preset with an exclusive typical bound: warnings, never errors."""
        assert validate(protocol, SafetyLimits.before_performance()).ok

    @settings(max_examples=100)
    @given(safe_protocols(SafetyLimits()))
    def test_the_public_strategy_passes(self, protocol: Protocol) -> None:
        """safe_protocols() itself yields only passing protocols."""
        assert validate(protocol).ok

    @settings(max_examples=100)
    @given(_safe_drawing(STRICT))
    def test_pass_strict_custom_limits(self, protocol: Protocol) -> None:
        """Even tight custom limits are met, hold and session length included."""
        assert validate(protocol, STRICT).ok
        for exercise in protocol.exercises:
            if exercise.dose.hold is not None:
                assert exercise.dose.hold.seconds.high <= 20


class TestProtocols:
    def test_reach_unsafe_protocols(self) -> None:
        """The arbitrary strategy also makes protocols the validator rejects."""
        # The first one found will do: shrinking it would only cost time.
        unsafe = find(
            protocols(),
            lambda p: not validate(p).ok,
            settings=settings(phases=[Phase.generate], database=None),
        )
        assert not validate(unsafe).ok
