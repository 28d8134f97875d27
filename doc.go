// Package vaststelling runs the procedure that turns an exam result,
// delivered digitally to a Dutch MBO institution's student information
// system (KRS) through the OKE coupling, into a definitive, binding one:
// the vaststelling (determination) of examenresultaten.
//
// Exam offices answer to inspectors and appeal boards with what this library
// records, so every answer it gives comes with its reason: which holidays a
// deadline skipped, which rule binds, which mandate is missing.
//
// # The procedure
//
//  1. Afname: the student sits the exam on the exam date.
//  2. Beoordeling: the assessor assesses it within 15 working days.
//  3. Aanlevering: the result arrives through OKE and is registered as
//     provisional (voorlopig).
//  4. The exam administration checks the import: right student, component,
//     date, attempt and assessor; right status; no open exceptions.
//  5. The student is told, with the terms that apply.
//  6. Inzage and klacht: for 10 working days after registration the student
//     may inspect the exam and complain to the exam committee.
//  7. Vaststelling: after that term, and 30 working days after the exam, the
//     exam administration determines the result under the committee's mandate.
//  8. Beroep: for 10 working days after determination the student may appeal
//     to the appeals board (CBE).
//  9. The committee monitors terms, takes samples and reports yearly.
//
// Every term is counted in working days in Europe/Amsterdam, and every term
// is policy data, not a constant.
//
// # Packages
//
//   - [github.com/krs-oke/vaststelling/calendar]: working days, Dutch public
//     holidays, the institution's closures, deadlines and why.
//   - [github.com/krs-oke/vaststelling/timeline]: the policy's terms as
//     versioned data; for each result its deadlines, the rule that binds its
//     determination date, its conflicts with the policy, the signals due at
//     a moment, and the message to the student.
//   - [github.com/krs-oke/vaststelling/result]: the result, its grades, its
//     states and the transitions between them, who may do what under which
//     mandate, the exceptions, and the events that record every move.
//   - [github.com/krs-oke/vaststelling/result/oke]: the OKE flow-5 intake:
//     decoding, checks against the institution's directory, idempotent
//     intake into results, the delivery log and the HTTP endpoints.
//   - [github.com/krs-oke/vaststelling/audit]: the tamper-evident trail every
//     event goes into: a Merkle log with signed checkpoints and proofs,
//     erasure of personal data, durable stores, and rebuilding results from it.
//   - This package: the [Office] facade that wires them for an integrator:
//     OKE deliveries (one by one or in batches) and actors' commands into
//     the trail, the daily run that determines what is due under the
//     standing mandate and sends the student messages, monitoring of the
//     terms, and the committee's sample. It is built for an institution's
//     year: a million results run through it on one core within 2 GB
//     (BenchmarkInstitutionYear).
//   - examples/lifecycle: the main job, a whole term on sample data;
//     examples/deadline, examples/timeline, examples/oke-check and
//     examples/verify: commands for scripts.
//
// # Several servers, one trail
//
// Offices on several servers share one trail (audit/sqlstore on one
// PostgreSQL database) as they would share one database: each server
// opens its own Office over it. The trail is the engine; no office leads.
// Every decision is taken on the trail as it stands (an office first folds
// what the others appended: one read of the trail's size, shared by the
// calls that wait for it), and its append is conditional on the size it
// decided on. An office that another overtook folds what that one wrote
// and decides again: the same message sent to two servers at once is
// accepted by one and a duplicate on the other, and a person's command
// that no longer applies is refused with ErrConflict. The daily run holds
// the day for one office at a time, by a lease in the trail
// (Config.RunLease, ErrRunning), so that no result is determined twice
// and no student is told twice; a run whose server stopped halfway is
// taken over once its lease has passed.
//
// # Glossary
//
//	Dutch                            English in code
//	resultaat, examenresultaat       result
//	onderdeel, examenonderdeel       component
//	afname, afnamedatum              sitting, exam date
//	poging                           attempt
//	beoordelaar, examinator          assessor
//	examenadministratie              exam administration
//	examencommissie                  exam committee
//	CBE (Commissie van Beroep        appeals board
//	  voor de Examens)
//	voorlopig / definitief           provisional / final
//	vaststellen, vaststelling        determine, determination
//	vervroegd vaststellen            early determination
//	mandaat, gemandateerd            mandate, under mandate
//	inzage                           inspection
//	klacht, bezwaar                  complaint
//	beroep                           appeal
//	werkdag                          working day
//	feestdag                         public holiday
//	sluitingsdag, vakantie           closure day, school holiday
//	examenmatrijs                    exam matrix
//	steekproef                       sample
//	verantwoordingsrapportage        accountability report
//	zittingsverslag, procesverbaal   session report, official record
//	cesuur, normering                cut score, grading norm
//	KRS (kernregistratiesysteem)     student information system
package vaststelling
