"""The one time loop (twin.run.driver): hooks act in order around every step, the control
callback before the hooks, and the loop stops at the end time whatever the float round-off."""

import contextlib

from twin.run.driver import Control, Hook, drive


class Clock:
    """A stand-in model: time advances by dt at each step."""

    def __init__(self, t0: float, dt: float):
        self.t, self.dt, self.steps = t0, dt, 0

    @property
    def time(self) -> float:
        return self.t

    def step(self) -> None:
        self.t += self.dt
        self.steps += 1


class Log(Hook):
    def __init__(self, name: str, out: list):
        self.name, self.out = name, out

    def start(self, model):
        self.out.append((self.name, "start", model.time))

    def before_step(self, model):
        self.out.append((self.name, "before", model.time))

    def after_step(self, model):
        self.out.append((self.name, "after", model.time))


def test_hooks_act_in_order_around_every_step():
    out: list = []
    m = Clock(0.0, 10.0)
    drive(m, 20.0, [Control(lambda mm: out.append(("rule", "before", mm.time))), Log("a", out)])
    assert out == [
        ("a", "start", 0.0),
        ("rule", "before", 0.0),
        ("a", "before", 0.0),
        ("a", "after", 10.0),
        ("rule", "before", 10.0),
        ("a", "before", 10.0),
        ("a", "after", 20.0),
    ]


def test_the_loop_ends_at_the_end_time_despite_round_off():
    m = Clock(0.0, 0.1)
    drive(m, 1.0)  # 0.1 added ten times is 0.9999999999999999
    assert m.steps == 10


def test_a_failing_step_stops_the_loop_before_the_after_hooks():
    out: list = []

    class Failing(Clock):
        def step(self):
            if self.steps == 1:
                raise RuntimeError("diverged")
            super().step()

    m = Failing(0.0, 1.0)
    with contextlib.suppress(RuntimeError):
        drive(m, 5.0, [Log("a", out)])
    assert out[-1] == ("a", "before", 1.0)
    assert m.steps == 1
