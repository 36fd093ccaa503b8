"""Shared fixtures: the documents the tests render."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_spec_file
from generator.pipeline import Result, generate_pages
from generator.render.pages import RenderOptions

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("RESTREF_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def _prefect_document() -> dict[str, Any]:
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
    from prefect.server.api.server import create_app

    return create_app(ephemeral=True).openapi()


@pytest.fixture
def prefect_openapi(_prefect_document: dict[str, Any]) -> dict[str, Any]:
    """Prefect 3.9.1's OpenAPI document (a fresh copy for each test)."""
    return copy.deepcopy(_prefect_document)


@pytest.fixture(scope="session")
def prefect_result(_prefect_document: dict[str, Any]) -> Result:
    """Prefect's whole reference, generated once for the tests that only read it."""
    options = RenderOptions(base_url="http://127.0.0.1:4200/api")
    return generate_pages(copy.deepcopy(_prefect_document), options)


@pytest.fixture
def shop_openapi() -> dict[str, Any]:
    from tests.fixtures.shop_app import app

    return copy.deepcopy(app.openapi())


@pytest.fixture
def library_openapi() -> dict[str, Any]:
    return load_spec_file(FIXTURES / "library-3.0.yaml")


@pytest.fixture
def zoo_openapi() -> dict[str, Any]:
    return load_spec_file(FIXTURES / "zoo-3.1.yaml")


@pytest.fixture
def petstore_openapi() -> dict[str, Any]:
    return load_spec_file(FIXTURES / "petstore-swagger-2.0.json")
