package invoke

// registerAllinpay registers the allinpay.* request and response methods.
func (r *Registry) registerAllinpay() {}
