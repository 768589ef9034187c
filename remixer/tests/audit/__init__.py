"""The audit trail: each door writes its record, the admin reads them, the sweep ends them."""
