package oke

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// refuse answers a request that Authorize refused (see
// HandlerConfig.Authorize): 401 or 403 with an RFC 6750 challenge, or 500
// when the authorizer failed.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", Challenge(err, hasBearerToken(r)))
		writeProblem(w, http.StatusUnauthorized, "Unauthorized", err.Error())
	case errors.Is(err, ErrForbidden):
		w.Header().Set("WWW-Authenticate", Challenge(err, true))
		writeProblem(w, http.StatusForbidden, "Forbidden", err.Error())
	default:
		h.log().ErrorContext(r.Context(), "oke: the authorizer failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("error", err))
		writeProblem(w, http.StatusInternalServerError, "Internal server error",
			"the request could not be authorised because of an error on the receiving side; it is logged there. Try again later")
	}
}

// Challenge returns the WWW-Authenticate challenge (RFC 6750 §3) of a
// refusal: for ErrForbidden, insufficient_scope with the scope; for a
// request that had a bearer token, invalid_token with the error's text as
// its description; for one that had none, only the scope, for §3.1: "If
// the request lacks any authentication information ..., the resource
// server SHOULD NOT include an error code or other error information."
func Challenge(err error, hadToken bool) string {
	switch {
	case errors.Is(err, ErrForbidden):
		return `Bearer error="insufficient_scope", scope="` + Scope + `"`
	case !hadToken:
		return `Bearer scope="` + Scope + `"`
	}
	return `Bearer error="invalid_token", error_description="` + authParam(err.Error()) + `"`
}

// hasBearerToken reports whether the request carries a bearer token in its
// Authorization header (RFC 6750 §2.1), the only place the handler looks.
func hasBearerToken(r *http.Request) bool {
	scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) != ""
}

// maxAuthParam is the most bytes of an error_description.
const maxAuthParam = 200

// authParam makes a text fit for an error_description: RFC 6750 §3 has
// its value in %x20-21 / %x23-5B / %x5D-7E, so a double quote becomes a
// single one, a backslash a slash, and any other character outside that
// set (a control character, a line break, anything not ASCII) a question
// mark; what is longer than maxAuthParam bytes ends in "...".
func authParam(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxAuthParam {
			return b.String()[:maxAuthParam-3] + "..."
		}
		switch {
		case r == '"':
			b.WriteByte('\'')
		case r == '\\':
			b.WriteByte('/')
		case r < 0x20 || r > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
