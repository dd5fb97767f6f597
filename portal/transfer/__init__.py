"""
The site's content as plain files, for backups, moves between sites and
review: see site.py for export and import, kinds.py for the shape of a
kind of content, and the README's "Export, import and backups".
"""
