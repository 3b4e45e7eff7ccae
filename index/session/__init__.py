"""What a working session keeps between runs, in the user data folder.

``state``: where the user was (article, query, filters, sort, search history), per corpus;
``marks``: starred and read articles; ``saved``: named searches in a YAML file the user may edit;
``history``: back/forward through the places visited in one run.
"""
