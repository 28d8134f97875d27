package oke

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// A SessionReportMessage is the part of a flow-4 session report
// (zittingsverslag, PATCH /offerings/{offeringId}) that the KRS acts on:
// the offering, that is the exam session, and its irregularities.
//
// Flow 4 goes from the exam platform to the planner; a KRS that gets the
// report gets it from the planner, keyed by the planner's offering id,
// which no result carries. Pass it to Intake.SessionReport under the
// session's name as the platform writes it in the results'
// executedOfferingName (see SessionKey), not under Offering.
type SessionReportMessage struct {
	Offering       string // the planner's offering id of the session: the path's offeringId
	Irregularities string // "" when the report names none
	Documents      []Document
}

// DecodeSessionReport reads a flow-4 session report for the offering. It
// needs the nl-test-admin consumer; its irregularities may be empty (a
// session without any). Problems are a *Rejection, like Decode's.
func DecodeSessionReport(offering string, body []byte) (*SessionReportMessage, error) {
	rej := &Rejection{AssociationID: offering}
	add := func(code Code, field, format string, args ...any) {
		rej.Reasons = append(rej.Reasons, Reason{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if p := idProblem(offering); p != "" {
		add(CodeInvalidID, "", "the offering id %s", p)
	}
	if len(body) > MaxMessageSize {
		add(CodeTooLarge, "", "the report is larger than %d bytes", MaxMessageSize)
		return nil, rej
	}
	var w struct {
		Consumers []struct {
			ConsumerKey    string  `json:"consumerKey"`
			Irregularities *string `json:"irregularities"`
			Documents      []struct {
				DocumentID   string `json:"documentId"`
				DocumentType string `json:"documentType"`
				DocumentName string `json:"documentName"`
			} `json:"documents"`
		} `json:"consumers"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&w); err != nil {
		add(CodeMalformed, "", "the report is not the JSON object flow 4 describes: %v", err)
		return nil, rej
	}
	if rest := bytes.TrimSpace(body[dec.InputOffset():]); len(rest) > 0 {
		add(CodeMalformed, "", "data after the report")
	}
	r := &SessionReportMessage{Offering: offering}
	found := false
	for i, c := range w.Consumers {
		if c.ConsumerKey != testAdminConsumer {
			continue
		}
		found = true
		if c.Irregularities != nil {
			r.Irregularities = strings.TrimSpace(*c.Irregularities)
		}
		for j, d := range c.Documents {
			switch d.DocumentType {
			case "sessionReport", "attendanceReport", "assessmentModel", "other":
			default:
				add(CodeUnknownValue, fmt.Sprintf("consumers[%d].documents[%d].documentType", i, j),
					"documentType %q: want sessionReport, attendanceReport, assessmentModel or other", d.DocumentType)
			}
			r.Documents = append(r.Documents, Document{ID: d.DocumentID, Type: d.DocumentType, Name: d.DocumentName})
		}
	}
	if !found {
		add(CodeMissing, "consumers", "no consumer with consumerKey nl-test-admin")
	}
	if len(rej.Reasons) > 0 {
		return nil, rej
	}
	return r, nil
}
