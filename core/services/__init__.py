"""Domain operations. Each mutation: load → validate → rule hooks → one transaction
with one event → event hooks after commit. Services take a Workspace first."""
