package vaststelling

import "github.com/krs-oke/vaststelling/result/oke"

// Handler returns the office's OKE flow-5 endpoints as an http.Handler
// (see oke.Handler): each delivery goes through Deliver, the same durable
// path as any other, and is answered once the trail has it. The
// configuration needs an authorizer, which returns the oke.Client the
// token was issued to, or InsecureNoAuth by name, and a clock; its Service
// is the service metadata GET / answers, and its RateLimit limits each
// client's requests (see oke.HandlerConfig).
func (o *Office) Handler(cfg oke.HandlerConfig) (*oke.Handler, error) { return oke.NewHandler(o, cfg) }

var _ oke.Taker = (*Office)(nil)
