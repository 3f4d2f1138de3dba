"""The order of a document's definitions: the groups that use one another (strongly connected components),
dependencies first, and a cycle through each member of a group. Iterative, so a chain of any length fits the
stack; names are visited in sorted order, so the result does not depend on the order of the lines."""
from __future__ import annotations

from collections import deque
from typing import Collection, Mapping

Graph = Mapping[str, Collection[str]]  # each name -> the names it uses (all of them keys)


def components(graph: Graph) -> list[tuple[str, ...]]:
    """Tarjan's strongly connected components, each after every component it uses."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(graph[root])))]
        while work:
            name, uses = work[-1]
            used = next(uses, None)
            if used is not None:
                if used not in index:
                    index[used] = low[used] = len(index)
                    stack.append(used)
                    on_stack.add(used)
                    work.append((used, iter(sorted(graph[used]))))
                elif used in on_stack:
                    low[name] = min(low[name], index[used])
                continue
            work.pop()
            if work:
                caller = work[-1][0]
                low[caller] = min(low[caller], low[name])
            if low[name] == index[name]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == name:
                        break
                found.append(tuple(sorted(group)))
    return found


def is_cyclic(group: tuple[str, ...], graph: Graph) -> bool:
    return len(group) > 1 or group[0] in graph[group[0]]


def cycles(group: tuple[str, ...], graph: Graph) -> dict[str, tuple[str, ...]]:
    """For each member of a cyclic group, a cycle from it back to itself (start repeated at the end). Each
    shortest cycle found serves every member on it, so a simple cycle of n names costs one search, not n."""
    members = set(group)
    found: dict[str, tuple[str, ...]] = {}
    for start in group:
        if start in found:
            continue
        cycle = _shortest_cycle(start, members, graph)
        for at, member in enumerate(cycle[:-1]):
            found.setdefault(member, cycle[at:-1] + cycle[:at + 1])
    return found


def _shortest_cycle(start: str, members: set[str], graph: Graph) -> tuple[str, ...]:
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for used in sorted(graph[name]):
            if used == start:
                path = [name]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return tuple(reversed(path)) + (start,)
            if used in members and used not in came_from:
                came_from[used] = name
                queue.append(used)
    raise ValueError(f"{start} is in no cycle")
