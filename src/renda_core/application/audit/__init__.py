"""The audit: the hash chain (:mod:`.chain`), seals and verification (:mod:`.verify`),
keys (:mod:`.keys`) and a record's history (:mod:`.history`). See ``docs/audit.md``.

Nothing is imported here: the recorders import :mod:`.chain`, which must not pull in
the application.
"""
