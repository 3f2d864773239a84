"""Notifications: rules turn events and clock reminders into messages in an outbox;
a deliverer sends them through channels, at least once, with idempotency keys
(``docs/notifications.md``)."""

from renda_core.notify.messages import Channel, DeliveryFailed, Message, Receipt
from renda_core.notify.outbox import Outbox
from renda_core.notify.rules import Draft, FunctionRule, Rule
from renda_core.notify.service import Notifier

__all__ = [
    "Channel",
    "DeliveryFailed",
    "Draft",
    "FunctionRule",
    "Message",
    "Notifier",
    "Outbox",
    "Receipt",
    "Rule",
]
