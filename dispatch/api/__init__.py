"""HTTP layer: thin routes that declare their dependencies; the work happens in dispatch.store."""
