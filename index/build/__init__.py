"""Build: scan a corpus folder, analyse what changed in worker processes, write the store and index.

:mod:`.builder` is the pipeline; :mod:`.writing` the library's locked writes (update, add,
entity corrections); :mod:`.procs` the worker processes.
"""
