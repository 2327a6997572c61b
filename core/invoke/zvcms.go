package invoke

// registerZvcms registers the zvcms.* request and response methods.
func (r *Registry) registerZvcms() {}
