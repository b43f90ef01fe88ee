"""Hot queries compiled once.

Building a queryset and compiling it to SQL costs Django more CPU than PostgreSQL spends
answering a primary-key lookup: on ``POST /api/v1/shipments`` about 40 % of the app's CPU was
the ORM compiling the same dozen queries again on every request. A ``PreparedQuery`` builds
its queryset once, with a stand-in value for each parameter, compiles it, and remembers
where the stand-ins landed among the SQL's parameters; each call puts the real values there
and runs the SQL, then makes rows into what the queryset would have returned (model instances,
with ``select_related`` and annotations; dicts of ``values()``; tuples or flat values of
``values_list()``), through the same converters the ORM uses.

    _account = PreparedQuery(
        lambda seller_id: SettlementAccount.objects.filter(pk=seller_id)[:1], seller_id=int
    )
    account = _account.first(seller_id=seller.pk)

Parameters are declared with their type. ``int``, ``str``, ``datetime.date`` and
``datetime.datetime`` values are bound; any other declared type (``bool``, a choices enum) is
part of the query's shape: the query is compiled once per value met. ``None`` is refused (it
changes the SQL: ``IS NULL``). A stand-in the ORM transformed (``contains`` wraps it in ``%``)
is not found among the parameters, and the compile fails loudly instead of running wrong SQL.
``tests/core/test_prepared.py`` compares every prepared query of the project with its ORM
twin.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.transaction import TransactionManagementError

T = TypeVar("T")

# Every prepared query made, for the test that compares each with its ORM twin.
REGISTRY: list["PreparedQuery[Any]"] = []

BOUND_TYPES = (int, str, datetime.date, datetime.datetime)
_serial = itertools.count(1)


def _stand_in(kind: type) -> Any:
    """A value of ``kind`` no caller passes, unique in this process."""
    n = next(_serial)
    if kind is int:
        return -(2**62) - n
    if kind is str:
        return f"\ue000prepared-{n}\ue000"
    if kind is datetime.datetime:
        return datetime.datetime(1, 1, 2, tzinfo=datetime.UTC) + datetime.timedelta(microseconds=n)
    if kind is datetime.date:
        return datetime.date(1, 1, 2) + datetime.timedelta(days=n)
    raise TypeError(f"no stand-in for {kind!r}")


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (index among the params, parameter name)
    kind: str  # "model", "values", "values_list", "flat", "exists"
    for_update: bool
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    # models
    model: Any = None
    model_slice: tuple[int, int] = (0, 0)
    init_list: tuple[str, ...] = ()
    related_populators: tuple[Any, ...] = ()
    annotations: tuple[tuple[str, int], ...] = ()
    # values()
    names: tuple[str, ...] = ()


class PreparedQuery(Generic[T]):
    """A queryset built by ``build(**params)``, compiled once per shape; see the module."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        /,
        *,
        using: str = DEFAULT_DB_ALIAS,
        **types: type,
    ) -> None:
        self._build = build
        self._using = using
        self._types = types
        self._bound = tuple(name for name, kind in types.items() if kind in BOUND_TYPES)
        self._shaping = tuple(name for name, kind in types.items() if kind not in BOUND_TYPES)
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        REGISTRY.append(self)

    # --- running ---------------------------------------------------------------------
    def all(self, **values: Any) -> list[T]:
        compiled, params = self._bind(values)
        return self._rows(compiled, params)

    def first(self, **values: Any) -> T | None:
        rows = self.all(**values)
        return rows[0] if rows else None

    def exists(self, **values: Any) -> bool:
        compiled, params = self._bind(values, exists=True)
        with connections[self._using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchone() is not None

    def sql(self, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and parameters a call with these values runs (for tests)."""
        compiled, params = self._bind(values)
        return compiled.sql, params

    def _bind(self, values: dict[str, Any], *, exists: bool = False) -> tuple[_Compiled, list[Any]]:
        if values.keys() != self._types.keys():
            raise TypeError(f"expected parameters {sorted(self._types)}, got {sorted(values)}")
        for name in self._bound:
            kind, value = self._types[name], values[name]
            # A subclass passes (a choices member is a str), except that a datetime is not a
            # date here and a bool not an int.
            if type(value) is not kind and (
                kind is datetime.date or isinstance(value, bool) or not isinstance(value, kind)
            ):
                raise TypeError(f"{name} must be {kind.__name__}, not {type(value).__name__}")
        shape = (exists, *(values[name] for name in self._shaping))
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compile(shape, values, exists=exists)
            self._compiled[shape] = compiled
        if compiled.for_update and connections[self._using].get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for index, name in compiled.slots:
            params[index] = values[name]
        return compiled, params

    def _rows(self, compiled: _Compiled, params: list[Any]) -> list[Any]:
        connection = connections[self._using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Any] = cursor.fetchall()
        if compiled.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, convs, expression in compiled.converters:
                    value = row[position]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        if compiled.kind == "model":
            return [self._instance(compiled, row) for row in rows]
        if compiled.kind == "values":
            return [dict(zip(compiled.names, row, strict=True)) for row in rows]
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def _instance(self, compiled: _Compiled, row: list[Any]) -> Any:
        start, end = compiled.model_slice
        obj = compiled.model.from_db(self._using, compiled.init_list, row[start:end])
        for populator in compiled.related_populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations:
            setattr(obj, name, row[position])
        return obj

    # --- compiling -------------------------------------------------------------------
    def _compile(
        self, shape: tuple[Any, ...], values: dict[str, Any], *, exists: bool
    ) -> _Compiled:
        stand_ins = {name: _stand_in(self._types[name]) for name in self._bound}
        queryset = self._build(**{**values, **stand_ins})
        if not isinstance(queryset, QuerySet):
            raise TypeError("a prepared query's build must return a QuerySet")
        private = vars(queryset)  # the queryset's state the stubs do not declare
        if private["_known_related_objects"] or private["_prefetch_related_lookups"]:
            raise TypeError("a prepared query cannot prefetch or follow known related objects")
        query = queryset.query.exists() if exists else queryset.query
        compiler = query.get_compiler(using=self._using)
        sql, params = compiler.as_sql()
        slots = []
        for index, param in enumerate(params):
            for name, stand_in in stand_ins.items():
                if type(param) is type(stand_in) and param == stand_in:
                    slots.append((index, name))
        missing = set(stand_ins) - {name for _index, name in slots}
        # A text stand-in also used transformed (``name=x | name__contains=x``) would leave
        # the stand-in itself in the SQL's parameters.
        bound = {index for index, _name in slots}
        missing |= {
            name
            for index, param in enumerate(params)
            for name, stand_in in stand_ins.items()
            if index not in bound and isinstance(stand_in, str) and stand_in in str(param)
        }
        if missing:
            raise ValueError(
                f"parameters {sorted(missing)} do not reach the SQL as themselves "
                "(transformed by a lookup?): this query cannot be prepared"
            )
        common = {
            "sql": sql,
            "params": tuple(params),
            "slots": tuple(slots),
            "for_update": bool(query.select_for_update),
        }
        if exists:
            return _Compiled(kind="exists", converters=(), **common)
        select = compiler.select
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(
                [column for column, _sql, _alias in select]
            ).items()
        )
        iterable = queryset._iterable_class
        if iterable is ModelIterable:
            klass_info = compiler.klass_info
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            return _Compiled(
                kind="model",
                converters=converters,
                model=klass_info["model"],
                model_slice=(start, end),
                init_list=tuple(f[0].target.attname for f in select[start:end]),
                related_populators=tuple(
                    get_related_populators(klass_info, select, self._using)  # type: ignore[call-arg]
                ),
                annotations=tuple(compiler.annotation_col_map.items()),
                **common,
            )
        if iterable is ValuesIterable:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
            return _Compiled(kind="values", converters=converters, names=names, **common)
        if iterable is FlatValuesListIterable:
            return _Compiled(kind="flat", converters=converters, **common)
        if iterable is ValuesListIterable:
            fields = list(private["_fields"] or ())
            selected = [*query.extra_select, *query.values_select, *query.annotation_select]
            if fields and fields != selected:  # the ORM would reorder the columns
                raise TypeError("a prepared values_list() names its fields in select order")
            return _Compiled(kind="values_list", converters=converters, **common)
        raise TypeError(f"a prepared query cannot return {iterable.__name__}")
