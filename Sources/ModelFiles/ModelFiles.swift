// The ModelFiles module: filled in by its issue; this file keeps the target non-empty until then.
