"""Analysis: what the build reads out of the text of each article.

Entities (:mod:`.entities`), dated events (:mod:`.events`, :mod:`.datefind`, :mod:`.dateexpr`),
quotes and their speakers (:mod:`.quotes`, :mod:`.quote_speakers`) and near-duplicate copies
(:mod:`.copies`). Functions of text only; the store keeps their results.
"""
