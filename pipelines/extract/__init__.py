"""Extractors: pure functions ``extract(doc: Document) -> list[Fact]``, one module per fact table."""
