package invoke

// registerDiscount registers discount.quote and discount.reconcile.
func (r *Registry) registerDiscount() {}
