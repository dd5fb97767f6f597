"""
What one glossary change costs an editor and the worker, on sites of 100,
1,000 and 10,000 articles; run it with `python -m bench.relink`.

An editor who renames a term or gives it an alias waits only for the
change to be recorded: the bodies it affects are queued, and the worker
relinks them afterwards. The benchmark loads a made-up site
(bench/relink/data.py) into a scratch database, posts each change through
the admin's change form as a browser does, then runs the queued relinking
task, and compares that with `manage.py relink`, which renders every body.
"""
