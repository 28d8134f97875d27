package oke

// A Client is who a request comes from, as the authorizer found it: the
// token's subject (for OAuth2 client credentials, the client's id), its
// scopes, and the issuer that vouched for it. The handler limits the
// rate of requests per client (by Subject).
type Client struct {
	Subject string
	Scopes  []string
	Issuer  string
}
