"""Imported by the build's fork server only (preloaded by :func:`index.build.procs.start_pool`).

Importing it makes the fork server die with the program that started it, and every worker it
forks die with the fork server: a ``kill -9`` of the program leaves no process behind.
"""

from index.build import procs

procs.install_fork_hook()
procs.die_with_parent()
