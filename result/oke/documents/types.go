package documents

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// DefaultTypes are the content types a client allows when Config.Types is
// nil: PDF and images, what assessment forms and scanned answers are.
var DefaultTypes = []string{"application/pdf", "image/*"}

// sniffed are the declared types that say nothing of the content: the
// OOAPI specification itself gives GET /documents/{documentId} the type
// application/octet-stream. For a document declared so, or not at all,
// the client looks at its first 512 bytes (http.DetectContentType) and
// judges the type it finds.
var sniffed = map[string]bool{"": true, "application/octet-stream": true}

// A typeList is an allow-list of media types: "type/subtype", "type/*",
// or "*/*", in lower case.
type typeList []string

func newTypeList(types []string) (typeList, error) {
	if types == nil {
		types = DefaultTypes
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("%w: Types is empty: no document would be allowed", ErrConfig)
	}
	list := make(typeList, len(types))
	for i, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		main, sub, ok := strings.Cut(t, "/")
		if !ok || main == "" || sub == "" || strings.ContainsAny(t, " ;,") || main == "*" && sub != "*" ||
			strings.Contains(sub, "*") && sub != "*" {
			return nil, fmt.Errorf("%w: Types[%d] %q: want type/subtype, type/* or */*", ErrConfig, i, types[i])
		}
		list[i] = t
	}
	return list, nil
}

// allows reports whether the media type (lower case, no parameters) is in
// the list.
func (l typeList) allows(media string) bool {
	main, _, _ := strings.Cut(media, "/")
	for _, t := range l {
		if t == media || t == "*/*" || strings.HasSuffix(t, "/*") && t[:len(t)-2] == main {
			return true
		}
	}
	return false
}

// mediaType returns the media type of a Content-Type header, in lower
// case without parameters; "" for none, and the header itself, cleaned,
// when it does not parse.
func mediaType(header string) string {
	if strings.TrimSpace(header) == "" {
		return ""
	}
	media, _, err := mime.ParseMediaType(header)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(header))
	}
	return media
}

// judgeType decides the content type of a document declared as declared
// (a media type) whose first bytes are head: the type it is kept as, or
// an error detail saying why it is refused.
func (l typeList) judge(declared string, head []byte) (string, string) {
	if !sniffed[declared] {
		if l.allows(declared) {
			return declared, ""
		}
		return "", fmt.Sprintf("the planner sends %q; allowed are %s", declared, strings.Join(l, ", "))
	}
	found := mediaType(http.DetectContentType(head))
	if l.allows(found) {
		return found, ""
	}
	said := "no content type"
	if declared != "" {
		said = fmt.Sprintf("%q", declared)
	}
	return "", fmt.Sprintf("the planner sends %s, and the content looks like %q; allowed are %s",
		said, found, strings.Join(l, ", "))
}
