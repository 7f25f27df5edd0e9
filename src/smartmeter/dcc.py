"""The DCC: the route by which remote parties read Security Logs, and its access control."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from smartmeter.outcomes import Refusal, Refused, SecurityLogRead
from smartmeter.security_log import SecurityLogId


@dataclass(frozen=True)
class RemoteParty:
    """A remote party (a supplier, a network operator) known to the DCC."""

    name: str


class AnswersDcc(Protocol):
    """A device that answers Security Log reads the DCC forwards to it."""

    def answer_dcc_security_log_read(self, log: SecurityLogId) -> SecurityLogRead | Refused: ...


class Dcc:
    """The Data Communications Company: remote parties reach devices only through it.

    It forwards a read of a Security Log to the device only when it has authorised that party
    to read that log.
    """

    def __init__(self) -> None:
        self._grants: set[tuple[RemoteParty, SecurityLogId]] = set()

    def grant(self, party: RemoteParty, log: SecurityLogId) -> None:
        self._grants.add((party, log))

    def revoke(self, party: RemoteParty, log: SecurityLogId) -> None:
        self._grants.discard((party, log))

    def read_security_log(
        self, party: RemoteParty, device: AnswersDcc, log: SecurityLogId
    ) -> SecurityLogRead | Refused:
        """Read ``log`` from ``device`` on behalf of ``party``, if the DCC allows it."""
        if (party, log) not in self._grants:
            return Refused(Refusal.NOT_AUTHORISED_BY_DCC)
        return device.answer_dcc_security_log_read(log)
