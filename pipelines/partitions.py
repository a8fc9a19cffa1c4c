"""One dynamic partition per document of the raw folder, keyed by its path relative to it."""

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
