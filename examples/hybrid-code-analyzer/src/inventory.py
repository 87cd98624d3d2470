# SPDX-License-Identifier: MIT
# Copyright (c) 2024 Example Shop contributors
"""Stock levels of the example shop's warehouse, kept in a JSON file."""
import json


class InventoryStore:
    def __init__(self, path):
        self._path = path
        self._stock = {}

    def load(self):
        with open(self._path) as f:
            self._stock = json.load(f)

    def reserve(self, sku, quantity):
        available = self._stock.get(sku, 0)
        if quantity > available:
            raise ValueError(f"only {available} of {sku} left")
        self._stock[sku] = available - quantity
        return self._stock[sku]

    def save(self):
        with open(self._path, "w") as f:
            json.dump(self._stock, f)
