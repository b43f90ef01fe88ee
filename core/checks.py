"""System checks of the ground floor: the order gate holds together (``core.gate``).

``manage.py check`` — and so every start of the web process, a worker or a command — fails
when a code in the gate's order is registered by no app, or a loader or check needs a fact
that no loader before it provides."""

from typing import Any

from django.core import checks

from .gate import gate


@checks.register()
def gate_contract(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, hint="See core/gate.py: GATE_ORDER and OrderFacts.", id="core.E001")
        for problem in gate.problems()
    ]
