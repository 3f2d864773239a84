"""Message templates (Jinja2, zh and en), overridable through ``renda_report_template``.

A template's first line is the subject, the rest the body. A province replaces one by
answering ``renda_report_template(name="notify.<template>", lang=...)``. Every message
ends with a link back to the record: its id, and ``RENDA_RECORD_URL`` (a URL template
with ``{id}``) when configured.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
import pluggy

URL_ENV = "RENDA_RECORD_URL"

_ZH = {
    "assigned_unit": "【交办】{{ s.title }}\n"
    "贵单位承办代表建议《{{ s.title }}》（{{ role }}）。\n"
    "答复期限：{{ s.reply_due or '待定' }}；如认为不属本单位职责，请于 "
    "{{ s.objection_until or '—' }} 前申请调整。",
    "objection_decided": "【交办调整】{{ s.title }}\n"
    "贵单位对建议《{{ s.title }}》的调整申请已{{ '同意，已改交办' if granted else '不予同意' }}。"
    "{{ note or '' }}",
    "extension_decided": "【延期】{{ s.title }}\n"
    "建议《{{ s.title }}》的延期申请{{ '已批准，答复期限延至 ' ~ until if granted "
    "else '未获批准，答复期限仍为 ' ~ (s.reply_due or '—') }}。",
    "reminder": "【{{ '催办' if kind == 'urge' else '提醒' }}】{{ s.title }}\n"
    "{% if kind == 'urge' %}建议《{{ s.title }}》的{{ deadline_label }}已于 {{ due }} 到期，"
    "至今未办结，请抓紧办理（第 {{ number }} 次催办）。"
    "{% elif threshold == 'due' %}"
    "建议《{{ s.title }}》的{{ deadline_label }}今天（{{ due }}）到期。"
    "{% else %}建议《{{ s.title }}》的{{ deadline_label }}将于 {{ due }} 到期"
    "（还有 {{ days }} 个工作日）。{% endif %}",
    "deputy_update": "【建议办理】{{ s.title }}\n您领衔或附议的建议《{{ s.title }}》{{ what }}。",
    "citizen_update": "【社情民意】您反映的意见{{ what }}\n"
    "您反映的意见（{{ s.title }}……）{{ what }}。",
    "staff_digest": "【每日办理提示】{{ on }}：逾期 {{ overdue_count }} 项，"
    "即将到期 {{ due_count }} 项\n"
    "{% for u in units %}{{ u.name }}：\n"
    "{% for i in u.overdue %}  逾期 {{ i.days }} 天 · {{ i.label }}（{{ i.due }}）"
    "《{{ i.title }}》 {{ i.id }}{% if i.url %} {{ i.url }}{% endif %}\n{% endfor %}"
    "{% for i in u.due %}  {{ i.due }} 到期 · {{ i.label }}《{{ i.title }}》 {{ i.id }}"
    "{% if i.url %} {{ i.url }}{% endif %}\n{% endfor %}{% endfor %}",
    "projection_failed": "【系统提示】视图 {{ view }} 更新失败\n"
    "视图 {{ view }} 在日志位置 {{ position }} 之后未能更新（退出码 9），"
    "依赖它的报表停在该位置：\n{{ error }}\n"
    "请排除原因后运行 renda projections catch-up {{ view }}（必要时 rebuild）。",
}
_EN = {
    "assigned_unit": "[Assigned] {{ s.title }}\n"
    'Your unit handles the suggestion "{{ s.title }}" ({{ role }}).\n'
    "Reply due {{ s.reply_due or 'pending' }}; object to the assignment by "
    "{{ s.objection_until or '-' }}.",
    "objection_decided": "[Assignment objection] {{ s.title }}\n"
    "Your objection to \"{{ s.title }}\" was {{ 'accepted (reassigned)' if granted "
    "else 'denied' }}. {{ note or '' }}",
    "extension_decided": "[Extension] {{ s.title }}\n"
    "The extension for \"{{ s.title }}\" was {{ 'granted until ' ~ until if granted "
    "else 'refused; the reply is still due ' ~ (s.reply_due or '-') }}.",
    "reminder": "[{{ 'Urging' if kind == 'urge' else 'Reminder' }}] {{ s.title }}\n"
    "{% if kind == 'urge' %}The {{ deadline }} of \"{{ s.title }}\" passed on {{ due }}; "
    "please complete it (urging no. {{ number }})."
    "{% elif threshold == 'due' %}The {{ deadline }} of \"{{ s.title }}\" is today ({{ due }})."
    '{% else %}The {{ deadline }} of "{{ s.title }}" is {{ due }} '
    "({{ days }} working days left).{% endif %}",
    "deputy_update": "[Suggestion] {{ s.title }}\n"
    'The suggestion "{{ s.title }}" you lead or co-signed {{ what_en }}.',
    "citizen_update": "[Public opinion] Your opinion {{ what_en }}\n"
    "The opinion you gave ({{ s.title }}…) {{ what_en }}.",
    "staff_digest": "[Daily handling digest] {{ on }}: {{ overdue_count }} overdue, "
    "{{ due_count }} due soon\n"
    "{% for u in units %}{{ u.name_en }}:\n"
    "{% for i in u.overdue %}  {{ i.days }} days overdue - {{ i.deadline }} ({{ i.due }}) "
    '"{{ i.title }}" {{ i.id }}{% if i.url %} {{ i.url }}{% endif %}\n{% endfor %}'
    '{% for i in u.due %}  due {{ i.due }} - {{ i.deadline }} "{{ i.title }}" {{ i.id }}'
    "{% if i.url %} {{ i.url }}{% endif %}\n{% endfor %}{% endfor %}",
    "projection_failed": "[System] The view {{ view }} failed\n"
    "The view {{ view }} could not be brought past log position {{ position }} (exit 9); "
    "reports reading it stop there:\n{{ error }}\n"
    "Remove the cause, then run renda projections catch-up {{ view }} (or rebuild).",
}
BUILTIN: dict[str, dict[str, str]] = {"zh": _ZH, "en": _EN}
LINK = {  # a message about no single record (the digest) has no link of its own
    "zh": "{% if record_id %}\n\n记录：{{ record_id }}{% if url %}\n{{ url }}{% endif %}"
    "{% endif %}",
    "en": "{% if record_id %}\n\nRecord: {{ record_id }}{% if url %}\n{{ url }}{% endif %}"
    "{% endif %}",
}

_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined)


def template_source(pm: pluggy.PluginManager | None, name: str, lang: str) -> str:
    """A plugin's ``notify.<name>`` template, else the built-in one."""
    if pm is not None:
        found = pm.hook.renda_report_template(name=f"notify.{name}", lang=lang, province=None)
        if isinstance(found, str):
            return found
    return BUILTIN.get(lang, _ZH).get(name) or _ZH[name]


def record_url(record_id: str) -> str:
    pattern = os.environ.get(URL_ENV, "")
    return pattern.replace("{id}", record_id) if pattern and record_id else ""


def render(
    pm: pluggy.PluginManager | None, name: str, lang: str, values: dict[str, Any]
) -> tuple[str, str, str]:
    """(subject, body, link) of template ``name`` in ``lang``."""
    text = _ENV.from_string(template_source(pm, name, lang)).render(**values)
    subject, _, body = text.partition("\n")
    record_id = str(values.get("record_id", ""))
    url = record_url(record_id)
    link = _ENV.from_string(LINK.get(lang, LINK["zh"])).render(record_id=record_id, url=url)
    return subject.strip(), body.strip() + link, url
