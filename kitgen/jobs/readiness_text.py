"""What readiness says, in the project's language: each check's finding and what to do about it."""
from __future__ import annotations

import re
from datetime import date

from babel import Locale

from ..forms.common import LOCALES, long_date

TEXT: dict[str, dict[str, str]] = {
    "edition.pass": {"fr": "{title}, l'édition selon laquelle les organismes certifient",
                     "en": "{title}, the edition certification bodies certify against"},
    "edition.fail": {"fr": "{why}", "en": "{why}"},
    "edition.todo": {"fr": "passer le projet à iso20000-1:2018, article par article : {moves}",
                     "en": "move the project to iso20000-1:2018, clause by clause: {moves}"},
    "scope.pass": {"fr": "périmètre de certification défini : « {text} »", "en": "certification scope stated: “{text}”"},
    "scope.fail": {"fr": "aucun périmètre de certification", "en": "no certification scope"},
    "scope.placeholder": {"fr": "le périmètre est encore celui du modèle : « {text} »",
                          "en": "the scope is still the starter's placeholder: “{text}”"},
    "scope.todo": {"fr": "écrire le périmètre dans scope.statement (services, sites, clients)",
                   "en": "write the scope in scope.statement (services, locations, customers)"},
    "documented.pass": {"fr": "informations documentées présentes : {items}", "en": "documented information present: {items}"},
    "documented.fail": {"fr": "informations documentées manquantes : {items}", "en": "documented information missing: {items}"},
    "documented.generic": {"fr": " (un document de type générique n'en tient pas lieu : {items})",
                           "en": " (a document of a generic kind does not stand in for them: {items})"},
    "documented.todo": {"fr": "les ajouter aux documents de management_system ou des processus, chacun avec son type "
                              "précis (kind: {kinds})",
                        "en": "add them to the documents of management_system or of the processes, each with its "
                              "specific kind (kind: {kinds})"},
    "processes.pass": {"fr": "les {n} processus ont un responsable et des documents",
                       "en": "all {n} processes have an owner and documents"},
    "processes.fail": {"fr": "{done} processus sur {n} en place ({details})",
                       "en": "{done} of {n} processes in place ({details})"},
    "processes.todo": {"fr": "donner à chaque processus du référentiel un responsable et au moins un document",
                       "en": "give every process of the framework an owner and at least one document "
                             "(procedure, plan, policy)"},
    "not-described": {"fr": "non décrits : {items}", "en": "not described: {items}"},
    "no-document": {"fr": "sans document : {items}", "en": "no document: {items}"},
    "records-history.pass": {"fr": "chaque processus a des enregistrements datés depuis le {start} ou avant, sur au "
                                   "moins {distinct} mois différents",
                             "en": "every process has dated records since {start} or earlier, in at least {distinct} "
                                   "different months"},
    "records-history.fail": {"fr": "moins de {months} mois d'enregistrements datés (sur {distinct} mois différents au "
                                   "moins) : {items}",
                             "en": "less than {months} months of dated records (in at least {distinct} different "
                                   "months): {items}"},
    "records-history.todo": {"fr": "tenir des enregistrements pour ces processus depuis le {start} ou avant ; demander "
                                   "la certification plus tard",
                             "en": "keep records for these processes from {start} or earlier; ask for certification "
                                   "later"},
    "records.unconfirmed": {"fr": " ; datés par l'heure du fichier ou un mois du nom, non comptés : {n} ({items})",
                            "en": "; dated by the file's time or a month in its name, not counted: {n} ({items})"},
    "records.unconfirmed.todo": {"fr": " ; vérifier la date de ceux non comptés (le jour exact, puis retirer date_from)",
                                 "en": "; check the dates of those not counted (the exact day, then remove date_from)"},
    "records-recent.pass": {"fr": "chaque processus a un enregistrement daté de moins de {days} jours",
                            "en": "every process has a dated record in the last {days} days"},
    "records-recent.fail": {"fr": "pas d'enregistrement daté de moins de {days} jours : {items}",
                            "en": "no dated record in the last {days} days: {items}"},
    "records-recent.todo": {"fr": "enregistrer l'activité récente de ces processus",
                            "en": "record the processes' recent activity"},
    "none": {"fr": "aucun", "en": "none"},
    "internal-audit.pass": {"fr": "audit interne {audit} réalisé le {day}, rapport {report}",
                            "en": "internal audit {audit} done on {day}, report {report}"},
    "internal-audit.built": {"fr": "produit par kitgen, émis le {day}", "en": "built by kitgen, issued on {day}"},
    "internal-audit.none": {"fr": "aucun audit interne (audit à blanc) réalisé", "en": "no internal (mock) audit done"},
    "internal-audit.none.todo": {"fr": "faire auditer le SMS par la ressource certifiée Fondation ou un consultant "
                                       "externe, enregistré sous audits (puis kitgen build … --audit ID)",
                                 "en": "have the SMS audited by the Foundation-certified staff member or an external "
                                       "consultant, recorded under audits (then kitgen build … --audit ID)"},
    "internal-audit.old": {"fr": "dernier audit interne {audit} le {day}, il y a plus de {months} mois",
                           "en": "last internal audit {audit} on {day}, more than {months} months ago"},
    "internal-audit.old.todo": {"fr": "refaire un audit interne : il a lieu à intervalles planifiés (§ {clause})",
                                "en": "audit the SMS again: internal audits take place at planned intervals "
                                      "(§ {clause})"},
    "internal-audit.report": {"fr": "l'audit interne {audit} n'a pas de rapport", "en": "internal audit {audit} has no report"},
    "internal-audit.report.todo": {"fr": "produire son rapport (kitgen build … --audit {audit}), le faire signer et dater "
                                         "par le responsable d'audit puis le récolter (kitgen harvest), ou indiquer "
                                         "le chemin du rapport signé dans le champ report de l'audit",
                                   "en": "build its report (kitgen build … --audit {audit}), have the lead auditor sign "
                                         "and date it, then harvest it (kitgen harvest), or record the signed report's "
                                         "path in the audit's report field"},
    "internal-audit.missing": {"fr": "le rapport de l'audit interne {audit} est introuvable : {report}",
                               "en": "internal audit {audit}'s report is not found: {report}"},
    "internal-audit.unsigned": {"fr": "le rapport de {audit} produit par kitgen n'est pas revenu signé : pas de date "
                                      "d'émission enregistrée",
                                "en": "the report kitgen built for {audit} has not come back signed: no issue date "
                                      "recorded"},
    "window.recent": {"fr": "des {months} derniers mois", "en": "of the last {months} months"},
    "window.cycle": {"fr": "depuis la décision de certification du {day}",
                     "en": "since the certification decision of {day}"},
    "coverage.pass": {"fr": "les audits internes {window} couvrent les {n} articles, preuves à l'appui",
                      "en": "the internal audits {window} cover all {n} clauses, with evidence"},
    "coverage.fail": {"fr": "{covered} articles sur {n} couverts par les audits internes {window} ; non couverts : {items}",
                      "en": "{covered} of {n} clauses covered by the internal audits {window}; not covered: {items}"},
    "coverage.no-evidence": {"fr": " ; « Conforme » sans preuve, non compté : {items}",
                             "en": "; “Conforms” without evidence, not counted: {items}"},
    "coverage.early": {"fr": " ; verdict antérieur à ses preuves, non compté : {items}",
                       "en": "; verdict given before its evidence existed, not counted: {items}"},
    "coverage.todo": {"fr": "les auditer avec la liste de contrôle en notant les preuves vues pour chaque article "
                            "(kitgen build … audit-checklist, puis kitgen harvest)",
                      "en": "audit them with the checklist, noting the evidence seen for each clause (kitgen build … "
                            "audit-checklist, then kitgen harvest)"},
    "coverage.none": {"fr": "aucun audit interne {window} : 0 article sur {n} couvert",
                      "en": "no internal audit {window}: 0 of {n} clauses covered"},
    "verdict-dates.pass": {"fr": "chaque verdict « Conforme » a été rendu une fois ses preuves existantes ({n} vérifiés)",
                           "en": "every “Conforms” verdict was given once its evidence existed ({n} checked)"},
    "verdict-dates.fail": {"fr": "verdicts rendus avant que leurs preuves n'existent : {items}",
                           "en": "verdicts given before their evidence existed: {items}"},
    "verdict-dates.todo": {"fr": "auditer de nouveau ces articles maintenant que leurs preuves existent, ou corriger les "
                                 "verdicts", "en": "audit these clauses again now that their evidence exists, or correct "
                                                   "the verdicts"},
    "verdict-dates.none": {"fr": "aucun verdict « Conforme » enregistré par un audit interne {window} à vérifier",
                           "en": "no “Conforms” verdict recorded by an internal audit {window} to check"},
    "verdict-dates.item": {"fr": "{clause} « Conforme » le {day} ({what} : {first})",
                           "en": "{clause} “Conforms” on {day} ({what}: {first})"},
    "first": {"fr": "premier", "en": "first"},
    "review-evidence": {"fr": "revue de direction", "en": "management review"},
    "record-of": {"fr": "enregistrement ou document de {process}", "en": "record or document of {process}"},
    "independence.pass": {"fr": "les auditeurs internes n'ont audité ni leurs propres processus ni le SMS qu'ils "
                                "dirigent ({n} audit|{n} audits})",
                          "en": "internal auditors audited neither their own processes nor the SMS they run "
                                "({n} audit|{n} audits})"},
    "independence.fail": {"fr": "auditeurs non indépendants de ce qu'ils ont audité : {items}",
                          "en": "auditors not independent of what they audited: {items}"},
    "independence.todo": {"fr": "le faire auditer par une personne indépendante (§ {clause} : les auditeurs n'auditent "
                                "pas leur propre travail) : nommer qui audite quoi dans le plan d'audit (plan: auditor), "
                                "ou un auditeur externe",
                          "en": "have it audited by someone independent of it (§ {clause}: auditors do not audit their "
                                "own work): name who audits what in the audit plan (plan: auditor), or an external "
                                "auditor"},
    "independence.none": {"fr": "aucun audit interne {window} dont juger les auditeurs",
                          "en": "no internal audit {window} whose auditors to judge"},
    "independence.item": {"fr": "{audit} : {auditor} a audité {what} ({why})",
                          "en": "{audit}: {auditor} audited {what} ({why})"},
    "the-sms": {"fr": "le SMS lui-même", "en": "the SMS itself"},
    "why.owner": {"fr": "en est responsable", "en": "owns it"},
    "why.works": {"fr": "y travaille", "en": "works in it"},
    "why.title": {"fr": "y travaille, d'après sa fonction « {title} »", "en": "works in it, by title “{title}”"},
    "why.role": {"fr": "le dirige, rôle {role}", "en": "runs it, role {role}"},
    "why.sms-title": {"fr": "le dirige, d'après sa fonction « {title} »", "en": "runs it, by title “{title}”"},
    "review.pass": {"fr": "revue de direction tenue le {day}, après l'audit interne {audit}, compte rendu {minutes}",
                    "en": "management review held on {day}, after internal audit {audit}, minutes {minutes}"},
    "review.minutes": {"fr": "la revue de direction du {day} n'a pas de compte rendu",
                       "en": "the management review of {day} has no minutes"},
    "review.minutes.todo": {"fr": "produire son compte rendu (kitgen build … --review {review}) ou indiquer le "
                                  "chemin du compte rendu signé (minutes)",
                            "en": "build its minutes (kitgen build … --review {review}) or record the signed "
                                  "minutes' path (minutes)"},
    "review.built": {"fr": "produit par kitgen", "en": "built by kitgen"},
    "review.none": {"fr": "aucune revue de direction tenue", "en": "no management review held"},
    "review.none.todo": {"fr": "tenir une revue de direction après l'audit interne, enregistrée sous management_reviews "
                               "(puis kitgen build … --review DATE)",
                         "en": "hold a management review after the internal audit, recorded under management_reviews "
                               "(then kitgen build … --review DATE)"},
    "review.no-audit": {"fr": "revue de direction tenue le {day}, mais aucun audit interne avant elle dont elle aurait "
                              "examiné les résultats",
                        "en": "management review held on {day}, but no internal audit before it whose results it "
                              "could consider"},
    "review.no-audit.todo": {"fr": "tenir l'audit interne, puis une revue de direction après lui (§ {clause})",
                             "en": "hold the internal audit, then a management review after it (§ {clause})"},
    "review.before": {"fr": "la revue de direction du {day} précède l'audit interne {audit} du {audit_day} : elle n'a "
                            "pas pu en examiner les résultats",
                      "en": "the management review of {day} came before internal audit {audit} of {audit_day}: it "
                            "could not consider its results"},
    "review.before.todo": {"fr": "tenir une revue de direction après l'audit (§ {clause})",
                           "en": "hold a management review after the audit (§ {clause})"},
    "review.old": {"fr": "dernière revue de direction le {day}, il y a plus de {months} mois",
                   "en": "last management review on {day}, more than {months} months ago"},
    "review.old.todo": {"fr": "tenir une nouvelle revue de direction (§ {clause})",
                        "en": "hold a new management review (§ {clause})"},
    "nc.none": {"fr": "aucun audit n'a encore cherché de non-conformités", "en": "no audit has looked for nonconformities yet"},
    "nc.none.todo": {"fr": "tenir l'audit interne d'abord", "en": "hold the internal audit first"},
    "major-nc.pass": {"fr": "aucune non-conformité majeure ouverte ({n} constat relevé|{n} constats relevés})",
                      "en": "no open major nonconformity ({n} finding raised|{n} findings raised})"},
    "major-nc.fail": {"fr": "non-conformités majeures ouvertes : {items}", "en": "open major nonconformities: {items}"},
    "major-nc.todo": {"fr": "les corriger et vérifier l'efficacité des actions avant de demander la certification",
                      "en": "correct them and verify the actions' effectiveness before asking for certification"},
    "minor-actions.pass": {"fr": "chaque non-conformité mineure ouverte a une action en cours, avec responsable et "
                                 "échéance", "en": "every open minor has an action under way, with owner and due date"},
    "minor-actions.fail": {"fr": "non-conformités mineures sans action en cours avec responsable et échéance : {items}",
                           "en": "minor nonconformities without an owned, dated action under way: {items}"},
    "minor-actions.todo": {"fr": "donner à chacune une action avec responsable et échéance (une non-conformité "
                                 "rouverte par un audit en demande une nouvelle)",
                           "en": "give each an action with an owner and a due date (a nonconformity an audit "
                                 "reopened needs a new one)"},
    "corrective.pass": {"fr": "les actions correctives des non-conformités antérieures sont vérifiées efficaces ou en "
                              "cours avec preuves ({n})",
                        "en": "the corrective actions of earlier nonconformities are verified effective or under way "
                              "with evidence ({n})"},
    "corrective.fail": {"fr": "actions correctives ni vérifiées efficaces ni en cours avec preuves : {items}",
                        "en": "corrective actions neither verified effective nor under way with evidence: {items}"},
    "corrective.todo": {"fr": "vérifier l'efficacité des actions réalisées (effectiveness : date, par, résultat) et "
                              "noter les preuves de mise en œuvre de celles en cours (evidence)",
                        "en": "verify the effectiveness of the actions done (effectiveness: date, by, result) and note "
                              "the implementation evidence of those under way (evidence)"},
    "corrective.unchecked": {"fr": "{action} ({finding}, réalisée, efficacité non vérifiée)",
                             "en": "{action} ({finding}, done, effectiveness not verified)"},
    "corrective.not-effective": {"fr": "{action} ({finding}, jugée non efficace)",
                                 "en": "{action} ({finding}, found not effective)"},
    "corrective.no-evidence": {"fr": "{action} ({finding}, {status}, sans preuve de mise en œuvre)",
                               "en": "{action} ({finding}, {status}, no implementation evidence)"},
    "overdue-actions.pass": {"fr": "aucune action en retard ({n} action|{n} actions})",
                             "en": "no overdue action ({n} action|{n} actions})"},
    "overdue-actions.none": {"fr": "aucune action enregistrée", "en": "no action recorded"},
    "overdue-actions.warn": {"fr": "actions en retard : {items}", "en": "overdue actions: {items}"},
    "overdue-actions.todo": {"fr": "les terminer ou convenir de nouvelles échéances",
                             "en": "finish them or agree new due dates"},
    "stage1.pass": {"fr": "audit d'étape 1 {audit} réalisé", "en": "stage 1 audit {audit} done"},
    "stage1.fail": {"fr": "aucun audit d'étape 1 enregistré", "en": "no stage 1 audit recorded"},
    "stage1.todo": {"fr": "l'étape 2 suit l'étape 1 : enregistrer l'audit d'étape 1 (kind: stage1) et ses points de "
                          "vigilance", "en": "stage 2 follows stage 1: record the stage 1 audit (kind: stage1) and its "
                                            "areas of concern"},
    "concerns.pass": {"fr": "points de vigilance de l'étape 1 traités", "en": "stage 1 areas of concern addressed"},
    "concerns.fail": {"fr": "points de vigilance de l'étape 1 non traités : {items}",
                      "en": "stage 1 areas of concern not addressed: {items}"},
    "concerns.todo": {"fr": "les traiter avant l'étape 2 : ils peuvent y devenir des non-conformités",
                      "en": "address them before stage 2: they may become nonconformities there"},
    "cycle.surveillance": {"fr": "certifié le {decision}{certificate} : audit de surveillance {n} au plus tard le {due}",
                           "en": "certified on {decision}{certificate}: surveillance audit {n} due by {due}"},
    "cycle.certificate": {"fr": " (certificat {number}, expire le {expiry})", "en": " (certificate {number}, expires {expiry})"},
    "cycle.late": {"fr": "l'audit de surveillance {n} devait avoir lieu au plus tard le {due} (décision du {decision}) : "
                         "le certificat peut être suspendu",
                   "en": "surveillance audit {n} was due by {due} (decision of {decision}): the certificate may be "
                         "suspended"},
    "cycle.late.todo": {"fr": "convenir sans attendre de la date de l'audit avec l'organisme de certification",
                        "en": "agree the audit's date with the certification body at once"},
    "cycle.recertification": {"fr": "le certificat expire le {expiry} : l'audit de renouvellement et sa décision doivent "
                                    "intervenir avant", "en": "the certificate expires on {expiry}: the recertification "
                                                              "audit, and its decision, must come before"},
    "cycle.expired": {"fr": "le certificat a expiré le {expiry}", "en": "the certificate expired on {expiry}"},
    "cycle.expired.todo": {"fr": "une nouvelle certification initiale (étapes 1 et 2) est nécessaire : voir avec "
                                 "l'organisme", "en": "a new initial certification (stages 1 and 2) is needed: ask the "
                                                     "certification body"},
    "cycle.no-decision": {"fr": "audit d'étape 2 {audit} tenu le {day}, aucune décision de certification enregistrée",
                          "en": "stage 2 audit {audit} held on {day}, no certification decision recorded"},
    "cycle.no-decision.todo": {"fr": "enregistrer certification.decision (et certificate) dès que l'organisme a décidé ; "
                                     "la première surveillance a lieu dans les {months} mois qui suivent",
                               "en": "record certification.decision (and certificate) once the body has decided; the "
                                     "first surveillance comes within {months} months of it"},
    "cycle.not-certified": {"fr": "pas encore certifié : aucune décision de certification enregistrée",
                            "en": "not certified yet: no certification decision recorded"},
    "cycle.not-certified.todo": {"fr": "les étapes 1 et 2 viennent d'abord (kitgen readiness --for stage1)",
                                 "en": "stages 1 and 2 come first (kitgen readiness --for stage1)"},
    "foundation.pass": {"fr": "certifié(e)s Fondation : {items}", "en": "Foundation-certified: {items}"},
    "foundation.warn": {"fr": "personne n'a le certificat ISO/IEC 20000 Fondation",
                        "en": "nobody holds the ISO/IEC 20000 Foundation certificate"},
    "foundation.todo": {"fr": "conseil : former et certifier une personne (RCF) auprès d'un organisme accrédité",
                        "en": "advice: train and certify a staff member (RCF) with an accredited course provider"},
    "certification-body.pass": {"fr": "organisme de certification : {name}", "en": "certification body: {name}"},
    "certification-body.warn": {"fr": "aucun organisme de certification choisi", "en": "no certification body chosen"},
    "certification-body.todo": {"fr": "conseil : comparer des organismes accrédités (COFRAC, UKAS…) pour l'ISO/IEC "
                                      "20000-1 et renseigner certification.body",
                                "en": "advice: compare bodies accredited (UKAS, COFRAC…) for ISO/IEC 20000-1 and set "
                                      "certification.body"},
    "and-more": {"fr": " et {n} autre|{n} autres}", "en": " and {n} more"},
    "step.stage1": {"fr": "l'audit d'étape 1", "en": "the stage 1 audit"},
    "step.stage2": {"fr": "l'audit d'étape 2", "en": "the stage 2 audit"},
    "step.surveillance": {"fr": "l'audit de surveillance {n}", "en": "surveillance audit {n}"},
    "step.surveillance.any": {"fr": "l'audit de surveillance", "en": "the surveillance audit"},
    "step.recertification": {"fr": "l'audit de renouvellement", "en": "the recertification audit"},
    "verdict.ready": {"fr": "PRÊT pour {step} au {day}", "en": "READY for {step} as of {day}"},
    "verdict.not-ready": {"fr": "PAS PRÊT pour {step} au {day}", "en": "NOT READY for {step} as of {day}"},
}



# the registers' checks: risks reviewed, documents under control, the audit programme, suppliers reviewed
TEXT.update({
    "risks.pass": {"fr": "{n} risque ou opportunité, revu|{n} risques et opportunités, chacun revu} depuis moins de {months} mois",
                   "en": "{n} risk or opportunity, reviewed|{n} risks and opportunities, each reviewed} in the last {months} months"},
    "risks.none": {"fr": "aucun risque ni opportunité enregistré (§ {clause})",
                   "en": "no risk or opportunity recorded (§ {clause})"},
    "risks.none.todo": {"fr": "les déterminer et les enregistrer sous risks, avec leur traitement (registre des "
                              "risques : kitgen build … risk-register)",
                        "en": "determine them and record them under risks, with their treatment (the risk register: "
                              "kitgen build … risk-register)"},
    "risks.fail": {"fr": "risques non revus depuis {months} mois : {items}",
                   "en": "risks not reviewed in the last {months} months: {items}"},
    "risks.todo": {"fr": "les revoir et noter la date de revue (colonne « Revu le » du registre des risques, puis "
                         "kitgen harvest)", "en": "review them and record the date (the risk register's « Reviewed "
                                                  "on » column, then kitgen harvest)"},
    "risk-treatments.pass": {"fr": "aucun traitement de risque en retard", "en": "no risk treatment overdue"},
    "risk-treatments.warn": {"fr": "traitements de risque en retard : {items}", "en": "risk treatments overdue: {items}"},
    "risk-treatments.todo": {"fr": "les mener à bien ou convenir de nouvelles échéances",
                             "en": "carry them out or agree new due dates"},
    "document-control.pass": {"fr": "les {n} documents ont une version, un responsable et une revue à jour",
                              "en": "all {n} documents have a version, an owner and an up-to-date review"},
    "document-control.none": {"fr": "aucun document sous maîtrise (§ {clause})",
                              "en": "no document under control (§ {clause})"},
    "document-control.fail": {"fr": "documents hors maîtrise (§ {clause}) : {items}",
                              "en": "documents not under control (§ {clause}): {items}"},
    "document-control.todo": {"fr": "leur donner version et responsable, et les revoir (registre des informations "
                                    "documentées : kitgen build … document-register, puis kitgen harvest)",
                              "en": "give them a version and an owner, and review them (the register of documented "
                                    "information: kitgen build … document-register, then kitgen harvest)"},
    "no-version": {"fr": "sans version : {items}", "en": "no version: {items}"},
    "no-owner": {"fr": "sans responsable : {items}", "en": "no owner: {items}"},
    "review-due": {"fr": "revue dépassée : {items}", "en": "review overdue: {items}"},
    "retention.pass": {"fr": "les {n} enregistrements ont une durée de conservation",
                       "en": "all {n} records have a retention period"},
    "retention.warn": {"fr": "{n} enregistrement|{n} enregistrements} sans durée de conservation : {items}",
                       "en": "{n} record|{n} records} without a retention period: {items}"},
    "retention.todo": {"fr": "indiquer la durée de conservation (management_system.retention pour tous, ou par "
                             "enregistrement)", "en": "state how long records are kept (management_system.retention "
                                                     "for all, or per record)"},
    "programme.pass": {"fr": "le programme d'audit interne couvre les {n} articles d'ici le {end}",
                       "en": "the internal audit programme covers all {n} clauses by {end}"},
    "programme.fail": {"fr": "articles qu'aucun audit interne ne couvre ni ne prévoit d'ici le {end} : {items}",
                       "en": "clauses no internal audit covers or plans by {end}: {items}"},
    "programme.todo": {"fr": "les prévoir au programme d'audit (kitgen build … audit-programme : cocher ces articles "
                             "dans la colonne d'un audit interne, puis kitgen harvest)",
                       "en": "plan them in the audit programme (kitgen build … audit-programme: mark these clauses "
                             "in an internal audit's column, then kitgen harvest)"},
    "suppliers.pass": {"fr": "fournisseurs revus depuis moins de {months} mois : {items}",
                       "en": "suppliers reviewed in the last {months} months: {items}"},
    "suppliers.fail": {"fr": "fournisseurs dont la performance n'a pas été revue (§ {clause}) : {items}",
                       "en": "suppliers whose performance was not reviewed (§ {clause}): {items}"},
    "suppliers.todo": {"fr": "revoir leur performance et noter la date (registre des fournisseurs, colonne « Dernière "
                             "revue », puis kitgen harvest)",
                       "en": "review their performance and record the date (the supplier register's « Last review » "
                             "column, then kitgen harvest)"},
    "never": {"fr": "jamais", "en": "never"},
})


_PLURAL = re.compile(r"\{n\} ([^|{}]*)\|\{n\} ([^|{}]*)\}")  # `{n} record|{n} records}`: singular|plural of {n}


def t(key: str, lang: str, **values: object) -> str:
    """A message in the project's language; `{n} one|{n} other}` picks the form the language's plural rule gives n
    (French: 0 and 1 are singular); a date is written out ('7 décembre 2026', '7 December 2026')."""
    text = TEXT[key][lang]
    if "n" in values and "|" in text:
        many = Locale.parse(LOCALES[lang]).plural_form(values["n"]) != "one"  # type: ignore[arg-type]
        text = _PLURAL.sub(lambda m: "{n} " + m[2 if many else 1], text)
    return text.format(**{k: long_date(v, lang) if isinstance(v, date) else v for k, v in values.items()})
