-- A pmo-tui database as schema version 1 wrote it (the sample portfolio), dumped by sqlite3's iterdump.
PRAGMA application_id = 1347243860;
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE answer (
	id INTEGER NOT NULL, 
	assessment_id INTEGER NOT NULL, 
	question_id VARCHAR NOT NULL, 
	level INTEGER NOT NULL, 
	comment VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_answer_per_question UNIQUE (assessment_id, question_id), 
	CONSTRAINT answer_level_1_to_5 CHECK (level >= 1 AND level <= 5), 
	FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE
);
INSERT INTO "answer" VALUES(1,1,'alignment.1',3,'KPI-to-goal map kept in the KPI dictionary since Q3');
INSERT INTO "answer" VALUES(2,1,'alignment.2',2,'Prioritisation framework is a Q4 key result');
INSERT INTO "answer" VALUES(3,1,'alignment.3',2,'');
INSERT INTO "answer" VALUES(4,1,'definition.1',3,'');
INSERT INTO "answer" VALUES(5,1,'definition.2',3,'');
INSERT INTO "answer" VALUES(6,1,'definition.3',2,'Six of ten definitions signed off');
INSERT INTO "answer" VALUES(7,1,'targets.1',3,'');
INSERT INTO "answer" VALUES(8,1,'targets.2',2,'');
INSERT INTO "answer" VALUES(9,1,'targets.3',3,'');
INSERT INTO "answer" VALUES(10,1,'data.1',2,'Utilisation still comes from a spreadsheet export');
INSERT INTO "answer" VALUES(11,1,'data.2',2,'');
INSERT INTO "answer" VALUES(12,1,'data.3',3,'');
INSERT INTO "answer" VALUES(13,1,'leading.1',2,'SPI, pipeline demand and RAID are the only leading measures');
INSERT INTO "answer" VALUES(14,1,'leading.2',1,'');
INSERT INTO "answer" VALUES(15,1,'leading.3',1,'Forecast accuracy is not tracked at all');
INSERT INTO "answer" VALUES(16,1,'reporting.1',3,'');
INSERT INTO "answer" VALUES(17,1,'reporting.2',3,'');
INSERT INTO "answer" VALUES(18,1,'reporting.3',2,'Red projects sometimes reported amber for a month');
INSERT INTO "answer" VALUES(19,1,'review.1',2,'');
INSERT INTO "answer" VALUES(20,1,'review.2',2,'Retired ''Reports delivered on time'' in January');
INSERT INTO "answer" VALUES(21,1,'review.3',3,'');
INSERT INTO "answer" VALUES(22,1,'okr.1',2,'');
INSERT INTO "answer" VALUES(23,1,'okr.2',1,'Weekly check-ins only started this quarter; confidence rarely updated');
INSERT INTO "answer" VALUES(24,1,'okr.3',2,'');
CREATE TABLE assessment (
	id INTEGER NOT NULL, 
	taken_on DATE NOT NULL, 
	status VARCHAR NOT NULL, 
	updated_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT assessment_status_known CHECK (status IN ('in_progress','complete'))
);
INSERT INTO "assessment" VALUES(1,'2026-09-15','complete',NULL);
CREATE TABLE check_in (
	id INTEGER NOT NULL, 
	key_result_id INTEGER NOT NULL, 
	"on" DATE NOT NULL, 
	value FLOAT NOT NULL, 
	confidence FLOAT NOT NULL, 
	comment VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT confidence_0_to_1 CHECK (confidence >= 0 AND confidence <= 1), 
	FOREIGN KEY(key_result_id) REFERENCES key_result (id) ON DELETE CASCADE
);
INSERT INTO "check_in" VALUES(1,1,'2026-07-05',0.0,0.7,'Report template agreed with the executive team');
INSERT INTO "check_in" VALUES(2,1,'2026-07-12',0.0,0.7,'');
INSERT INTO "check_in" VALUES(3,1,'2026-07-19',0.0,0.7,'Tool access set up for all project managers');
INSERT INTO "check_in" VALUES(4,1,'2026-07-26',0.0,0.8,'Project data loaded');
INSERT INTO "check_in" VALUES(5,1,'2026-08-02',0.0,0.8,'');
INSERT INTO "check_in" VALUES(6,1,'2026-08-09',0.0,0.8,'Finance figures reconcile to the ledger');
INSERT INTO "check_in" VALUES(7,1,'2026-08-16',0.0,0.9,'');
INSERT INTO "check_in" VALUES(8,1,'2026-08-23',0.0,0.9,'Dry run for July figures');
INSERT INTO "check_in" VALUES(9,1,'2026-08-30',1.0,1.0,'August report produced from the tool');
INSERT INTO "check_in" VALUES(10,1,'2026-09-06',1.0,1.0,'');
INSERT INTO "check_in" VALUES(11,1,'2026-09-13',1.0,1.0,'');
INSERT INTO "check_in" VALUES(12,1,'2026-09-20',1.0,1.0,'');
INSERT INTO "check_in" VALUES(13,1,'2026-09-27',1.0,1.0,'Third report out, no manual edits');
INSERT INTO "check_in" VALUES(14,2,'2026-07-05',60.0,0.7,'');
INSERT INTO "check_in" VALUES(15,2,'2026-07-12',62.0,0.7,'Reminder sent two days before cut-off');
INSERT INTO "check_in" VALUES(16,2,'2026-07-19',65.0,0.7,'');
INSERT INTO "check_in" VALUES(17,2,'2026-07-26',68.0,0.7,'Update form cut to six fields');
INSERT INTO "check_in" VALUES(18,2,'2026-08-02',70.0,0.7,'Late projects named in the weekly digest');
INSERT INTO "check_in" VALUES(19,2,'2026-08-09',72.0,0.7,'');
INSERT INTO "check_in" VALUES(20,2,'2026-08-16',75.0,0.8,'');
INSERT INTO "check_in" VALUES(21,2,'2026-08-23',78.0,0.8,'Sponsors now ask for the digest');
INSERT INTO "check_in" VALUES(22,2,'2026-08-30',80.0,0.8,'');
INSERT INTO "check_in" VALUES(23,2,'2026-09-06',83.0,0.7,'Two project managers on leave');
INSERT INTO "check_in" VALUES(24,2,'2026-09-13',85.0,0.7,'');
INSERT INTO "check_in" VALUES(25,2,'2026-09-20',86.0,0.7,'');
INSERT INTO "check_in" VALUES(26,2,'2026-09-27',88.0,0.7,'Holdouts are the two infrastructure projects');
INSERT INTO "check_in" VALUES(27,3,'2026-07-05',0.0,0.8,'Template agreed');
INSERT INTO "check_in" VALUES(28,3,'2026-07-12',0.0,0.7,'');
INSERT INTO "check_in" VALUES(29,3,'2026-07-19',1.0,0.7,'On-time definition signed off');
INSERT INTO "check_in" VALUES(30,3,'2026-07-26',1.0,0.6,'Owners slow to sign off wording');
INSERT INTO "check_in" VALUES(31,3,'2026-08-02',2.0,0.6,'');
INSERT INTO "check_in" VALUES(32,3,'2026-08-09',2.0,0.6,'');
INSERT INTO "check_in" VALUES(33,3,'2026-08-16',3.0,0.5,'Finance KPIs waiting on the data owner');
INSERT INTO "check_in" VALUES(34,3,'2026-08-23',3.0,0.5,'');
INSERT INTO "check_in" VALUES(35,3,'2026-08-30',4.0,0.5,'');
INSERT INTO "check_in" VALUES(36,3,'2026-09-06',4.0,0.5,'Workshop with KPI owners moved twice');
INSERT INTO "check_in" VALUES(37,3,'2026-09-13',5.0,0.5,'');
INSERT INTO "check_in" VALUES(38,3,'2026-09-20',6.0,0.5,'ROI and budget definitions signed');
INSERT INTO "check_in" VALUES(39,3,'2026-09-27',6.0,0.5,'');
INSERT INTO "check_in" VALUES(40,4,'2026-07-05',82.0,0.6,'Baseline from the June figures');
INSERT INTO "check_in" VALUES(41,4,'2026-07-12',82.0,0.6,'');
INSERT INTO "check_in" VALUES(42,4,'2026-07-19',81.0,0.5,'ERP migration rehearsal failed');
INSERT INTO "check_in" VALUES(43,4,'2026-07-26',81.0,0.5,'');
INSERT INTO "check_in" VALUES(44,4,'2026-08-02',80.0,0.4,'Mobile app vendor late on API spec');
INSERT INTO "check_in" VALUES(45,4,'2026-08-09',80.0,0.4,'');
INSERT INTO "check_in" VALUES(46,4,'2026-08-16',80.0,0.3,'');
INSERT INTO "check_in" VALUES(47,4,'2026-08-23',79.0,0.3,'Warehouse shuttles delayed at the factory');
INSERT INTO "check_in" VALUES(48,4,'2026-08-30',79.0,0.2,'');
INSERT INTO "check_in" VALUES(49,4,'2026-09-06',79.0,0.2,'');
INSERT INTO "check_in" VALUES(50,4,'2026-09-13',78.0,0.2,'No recovery in sight this quarter');
INSERT INTO "check_in" VALUES(51,4,'2026-09-20',78.0,0.1,'');
INSERT INTO "check_in" VALUES(52,4,'2026-09-27',78.0,0.1,'Missed; carry over to Q4 with recovery plans');
INSERT INTO "check_in" VALUES(53,5,'2026-07-05',40.0,0.6,'Gate checklist published');
INSERT INTO "check_in" VALUES(54,5,'2026-07-12',45.0,0.6,'');
INSERT INTO "check_in" VALUES(55,5,'2026-07-19',50.0,0.7,'First gate held for the billing portal');
INSERT INTO "check_in" VALUES(56,5,'2026-07-26',55.0,0.7,'');
INSERT INTO "check_in" VALUES(57,5,'2026-08-02',60.0,0.7,'');
INSERT INTO "check_in" VALUES(58,5,'2026-08-09',65.0,0.7,'Gate calendar shared with sponsors');
INSERT INTO "check_in" VALUES(59,5,'2026-08-16',70.0,0.8,'');
INSERT INTO "check_in" VALUES(60,5,'2026-08-23',72.0,0.8,'');
INSERT INTO "check_in" VALUES(61,5,'2026-08-30',75.0,0.8,'Gate reviews now in the project calendar');
INSERT INTO "check_in" VALUES(62,5,'2026-09-06',80.0,0.8,'');
INSERT INTO "check_in" VALUES(63,5,'2026-09-13',83.0,0.8,'Two gates skipped during the August holidays');
INSERT INTO "check_in" VALUES(64,5,'2026-09-20',85.0,0.8,'');
INSERT INTO "check_in" VALUES(65,5,'2026-09-27',88.0,0.8,'');
INSERT INTO "check_in" VALUES(66,6,'2026-07-05',20.0,0.6,'Weekly RAID clinic started');
INSERT INTO "check_in" VALUES(67,6,'2026-07-12',19.0,0.6,'');
INSERT INTO "check_in" VALUES(68,6,'2026-07-19',19.0,0.6,'');
INSERT INTO "check_in" VALUES(69,6,'2026-07-26',18.0,0.7,'Owners assigned to all orphan actions');
INSERT INTO "check_in" VALUES(70,6,'2026-08-02',17.0,0.7,'');
INSERT INTO "check_in" VALUES(71,6,'2026-08-09',17.0,0.7,'');
INSERT INTO "check_in" VALUES(72,6,'2026-08-16',16.0,0.7,'Closed 9 stale actions after review');
INSERT INTO "check_in" VALUES(73,6,'2026-08-23',15.0,0.7,'');
INSERT INTO "check_in" VALUES(74,6,'2026-08-30',15.0,0.7,'');
INSERT INTO "check_in" VALUES(75,6,'2026-09-06',14.0,0.7,'Due dates made mandatory in the log');
INSERT INTO "check_in" VALUES(76,6,'2026-09-13',14.0,0.7,'');
INSERT INTO "check_in" VALUES(77,6,'2026-09-20',13.0,0.6,'ERP actions keep reopening');
INSERT INTO "check_in" VALUES(78,6,'2026-09-27',13.0,0.6,'');
INSERT INTO "check_in" VALUES(79,7,'2026-07-05',35.0,0.7,'Survey shortened to 8 questions');
INSERT INTO "check_in" VALUES(80,7,'2026-07-12',35.0,0.7,'');
INSERT INTO "check_in" VALUES(81,7,'2026-07-19',35.0,0.6,'Survey launch waiting on HR approval');
INSERT INTO "check_in" VALUES(82,7,'2026-07-26',38.0,0.6,'Survey live');
INSERT INTO "check_in" VALUES(83,7,'2026-08-02',42.0,0.7,'');
INSERT INTO "check_in" VALUES(84,7,'2026-08-09',45.0,0.7,'Reminder from the COO sent');
INSERT INTO "check_in" VALUES(85,7,'2026-08-16',48.0,0.7,'');
INSERT INTO "check_in" VALUES(86,7,'2026-08-23',51.0,0.7,'Personal follow-up by the Head of PMO');
INSERT INTO "check_in" VALUES(87,7,'2026-08-30',54.0,0.6,'');
INSERT INTO "check_in" VALUES(88,7,'2026-09-06',56.0,0.6,'');
INSERT INTO "check_in" VALUES(89,7,'2026-09-13',58.0,0.6,'Holiday season slowing responses');
INSERT INTO "check_in" VALUES(90,7,'2026-09-20',59.0,0.6,'');
INSERT INTO "check_in" VALUES(91,7,'2026-09-27',60.0,0.6,'Closed at 60 %');
INSERT INTO "check_in" VALUES(92,8,'2026-07-05',74.0,0.6,'Baseline from the June survey');
INSERT INTO "check_in" VALUES(93,8,'2026-07-12',74.0,0.6,'');
INSERT INTO "check_in" VALUES(94,8,'2026-07-19',74.0,0.6,'');
INSERT INTO "check_in" VALUES(95,8,'2026-07-26',74.0,0.6,'');
INSERT INTO "check_in" VALUES(96,8,'2026-08-02',75.0,0.6,'Pulse survey after the new report');
INSERT INTO "check_in" VALUES(97,8,'2026-08-09',75.0,0.6,'');
INSERT INTO "check_in" VALUES(98,8,'2026-08-16',75.0,0.6,'');
INSERT INTO "check_in" VALUES(99,8,'2026-08-23',76.0,0.6,'Complaints about late escalations');
INSERT INTO "check_in" VALUES(100,8,'2026-08-30',76.0,0.7,'');
INSERT INTO "check_in" VALUES(101,8,'2026-09-06',77.0,0.7,'Sponsors like the one-page summary');
INSERT INTO "check_in" VALUES(102,8,'2026-09-13',77.0,0.7,'');
INSERT INTO "check_in" VALUES(103,8,'2026-09-20',78.0,0.7,'');
INSERT INTO "check_in" VALUES(104,8,'2026-09-27',78.0,0.7,'Quarterly survey closed at 78 %');
INSERT INTO "check_in" VALUES(105,9,'2026-07-05',0.0,0.8,'Template adapted from the checkout redesign review');
INSERT INTO "check_in" VALUES(106,9,'2026-07-12',0.0,0.8,'');
INSERT INTO "check_in" VALUES(107,9,'2026-07-19',0.0,0.8,'');
INSERT INTO "check_in" VALUES(108,9,'2026-07-26',0.0,0.8,'');
INSERT INTO "check_in" VALUES(109,9,'2026-08-02',0.0,0.8,'');
INSERT INTO "check_in" VALUES(110,9,'2026-08-09',0.0,0.8,'');
INSERT INTO "check_in" VALUES(111,9,'2026-08-16',0.0,0.8,'Review date set for sanctions screening');
INSERT INTO "check_in" VALUES(112,9,'2026-08-23',0.0,0.8,'');
INSERT INTO "check_in" VALUES(113,9,'2026-08-30',0.0,0.8,'');
INSERT INTO "check_in" VALUES(114,9,'2026-09-06',0.0,0.9,'');
INSERT INTO "check_in" VALUES(115,9,'2026-09-13',0.0,0.9,'Cut-over date confirmed for 25 September');
INSERT INTO "check_in" VALUES(116,9,'2026-09-20',0.0,0.9,'');
INSERT INTO "check_in" VALUES(117,9,'2026-09-27',1.0,1.0,'Sanctions screening review held on closing day');
INSERT INTO "check_in" VALUES(118,10,'2026-10-04',0.0,0.8,'Scoring model drafted with finance');
INSERT INTO "check_in" VALUES(119,10,'2026-10-11',0.0,0.8,'');
INSERT INTO "check_in" VALUES(120,10,'2026-10-18',0.0,0.7,'Sponsors reviewing the draft weights');
INSERT INTO "check_in" VALUES(121,10,'2026-10-25',0.0,0.7,'');
INSERT INTO "check_in" VALUES(122,10,'2026-11-01',0.0,0.6,'Executive committee slot moved to 10 December');
INSERT INTO "check_in" VALUES(123,10,'2026-11-08',0.0,0.6,'');
INSERT INTO "check_in" VALUES(124,10,'2026-11-15',0.0,0.6,'Dry-run scoring of the 2027 intake under way');
INSERT INTO "check_in" VALUES(125,11,'2026-10-04',69.2,0.6,'');
INSERT INTO "check_in" VALUES(126,11,'2026-10-11',69.2,0.6,'Mapping sessions booked with sponsors');
INSERT INTO "check_in" VALUES(127,11,'2026-10-18',76.9,0.7,'Telephony replacement linked to G3');
INSERT INTO "check_in" VALUES(128,11,'2026-10-25',76.9,0.7,'');
INSERT INTO "check_in" VALUES(129,11,'2026-11-01',76.9,0.7,'');
INSERT INTO "check_in" VALUES(130,11,'2026-11-08',84.6,0.8,'Billing portal linked to G3');
INSERT INTO "check_in" VALUES(131,11,'2026-11-15',84.6,0.8,'Intranet refresh and office move still unaligned; raised with sponsors');
INSERT INTO "check_in" VALUES(132,12,'2026-10-04',20.0,0.5,'Baseline from the September figures');
INSERT INTO "check_in" VALUES(133,12,'2026-10-11',20.1,0.5,'');
INSERT INTO "check_in" VALUES(134,12,'2026-10-18',20.4,0.5,'');
INSERT INTO "check_in" VALUES(135,12,'2026-10-25',20.3,0.6,'CRM overrun eats into the gain');
INSERT INTO "check_in" VALUES(136,12,'2026-11-01',20.9,0.6,'Benefit cases refreshed for the data platform');
INSERT INTO "check_in" VALUES(137,12,'2026-11-08',21.2,0.6,'');
INSERT INTO "check_in" VALUES(138,12,'2026-11-15',21.4,0.6,'ERP overrun is the biggest drag');
INSERT INTO "check_in" VALUES(139,13,'2026-10-04',0.0,0.7,'');
INSERT INTO "check_in" VALUES(140,13,'2026-10-11',10.0,0.7,'First workshop with the CFO');
INSERT INTO "check_in" VALUES(141,13,'2026-10-18',10.0,0.7,'');
INSERT INTO "check_in" VALUES(142,13,'2026-10-25',20.0,0.7,'Target rebased to 80 %');
INSERT INTO "check_in" VALUES(143,13,'2026-11-01',30.0,0.8,'COO and CRO workshops held');
INSERT INTO "check_in" VALUES(144,13,'2026-11-08',40.0,0.8,'');
INSERT INTO "check_in" VALUES(145,13,'2026-11-15',40.0,0.8,'Three more booked for early December');
INSERT INTO "check_in" VALUES(146,14,'2026-10-04',78.0,0.5,'Baseline from the September survey');
INSERT INTO "check_in" VALUES(147,14,'2026-10-11',78.0,0.5,'');
INSERT INTO "check_in" VALUES(148,14,'2026-10-18',79.0,0.4,'Pulse: finance sponsors least satisfied');
INSERT INTO "check_in" VALUES(149,14,'2026-10-25',79.0,0.4,'');
INSERT INTO "check_in" VALUES(150,14,'2026-11-01',80.0,0.4,'');
INSERT INTO "check_in" VALUES(151,14,'2026-11-08',80.0,0.3,'ERP slip is hurting how the PMO is seen');
INSERT INTO "check_in" VALUES(152,14,'2026-11-15',81.0,0.3,'');
INSERT INTO "check_in" VALUES(153,15,'2026-10-04',3.2,0.6,'');
INSERT INTO "check_in" VALUES(154,15,'2026-10-11',3.2,0.5,'Change control board moved to weekly');
INSERT INTO "check_in" VALUES(155,15,'2026-10-18',3.3,0.4,'ERP raised two more change requests');
INSERT INTO "check_in" VALUES(156,15,'2026-10-25',3.3,0.4,'');
INSERT INTO "check_in" VALUES(157,15,'2026-11-01',3.4,0.3,'Mobile app scope change for the payments SDK');
INSERT INTO "check_in" VALUES(158,15,'2026-11-08',3.4,0.3,'');
INSERT INTO "check_in" VALUES(159,15,'2026-11-15',3.4,0.2,'Sponsors keep adding scope');
INSERT INTO "check_in" VALUES(160,16,'2026-10-04',88.0,0.6,'Data team still above 90 %');
INSERT INTO "check_in" VALUES(161,16,'2026-10-11',87.0,0.6,'');
INSERT INTO "check_in" VALUES(162,16,'2026-10-18',85.0,0.6,'Two contractors released from the CDP');
INSERT INTO "check_in" VALUES(163,16,'2026-10-25',84.0,0.5,'[blocked] waiting on finance for the timesheet export');
INSERT INTO "check_in" VALUES(164,17,'2026-10-04',0.0,0.7,'');
INSERT INTO "check_in" VALUES(165,17,'2026-10-11',0.0,0.7,'');
INSERT INTO "check_in" VALUES(166,17,'2026-10-18',33.0,0.7,'Warehouse automation plan approved');
INSERT INTO "check_in" VALUES(167,17,'2026-10-25',33.0,0.7,'');
INSERT INTO "check_in" VALUES(168,17,'2026-11-01',67.0,0.7,'ERP plan approved');
INSERT INTO "check_in" VALUES(169,17,'2026-11-08',67.0,0.6,'Mobile app plan waiting on the vendor''s new dates');
INSERT INTO "check_in" VALUES(170,17,'2026-11-15',67.0,0.6,'');
CREATE TABLE cycle (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	start DATE NOT NULL, 
	"end" DATE NOT NULL, 
	status VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT cycle_ends_after_start CHECK ("end" >= start), 
	CONSTRAINT cycle_status_known CHECK (status IN ('open','closed','archived'))
);
INSERT INTO "cycle" VALUES(1,'2026-Q3','2026-07-01','2026-09-30','closed');
INSERT INTO "cycle" VALUES(2,'2026-Q4','2026-10-01','2026-12-31','open');
CREATE TABLE key_result (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	objective_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	unit VARCHAR NOT NULL, 
	baseline FLOAT NOT NULL, 
	target FLOAT NOT NULL, 
	band_low FLOAT, 
	band_high FLOAT, 
	weight FLOAT NOT NULL, 
	owner VARCHAR NOT NULL, 
	kpi_id INTEGER, 
	original_target FLOAT, 
	target_change_reason VARCHAR NOT NULL, 
	grade FLOAT, 
	PRIMARY KEY (id), 
	CONSTRAINT key_result_kind_known CHECK (kind IN ('increase','decrease','within_band','milestone')), 
	CONSTRAINT key_result_weight_positive CHECK (weight > 0), 
	CONSTRAINT kr_grade_0_to_1 CHECK (grade IS NULL OR (grade >= 0 AND grade <= 1)), 
	FOREIGN KEY(objective_id) REFERENCES objective (id) ON DELETE CASCADE, 
	FOREIGN KEY(kpi_id) REFERENCES kpi (id) ON DELETE SET NULL
);
INSERT INTO "key_result" VALUES(1,'Q3-O1-KR1','Monthly portfolio report generated from the PMO tool',1,'milestone','',0.0,1.0,NULL,NULL,1.0,'Arjun Patel',NULL,NULL,'',1.0);
INSERT INTO "key_result" VALUES(2,'Q3-O1-KR2','Projects submitting status updates on time from 60 % to 95 %',1,'increase','%',60.0,95.0,NULL,NULL,1.0,'Chloe Martin',NULL,NULL,'',0.8);
INSERT INTO "key_result" VALUES(3,'Q3-O1-KR3','KPI definitions documented in the KPI dictionary from 0 to 10',1,'increase','count',0.0,10.0,NULL,NULL,1.0,'Arjun Patel',NULL,NULL,'',0.6);
INSERT INTO "key_result" VALUES(4,'Q3-O2-KR1','Projects on time from 82 % to 90 %',2,'increase','%',82.0,90.0,NULL,NULL,1.0,'Arjun Patel',1,NULL,'',0.0);
INSERT INTO "key_result" VALUES(5,'Q3-O2-KR2','Stage-gate reviews held for 100 % of projects reaching a gate',2,'increase','%',40.0,100.0,NULL,NULL,1.0,'Chloe Martin',NULL,NULL,'',0.8);
INSERT INTO "key_result" VALUES(6,'Q3-O2-KR3','Overdue RAID actions from 20 to 10',2,'decrease','count',20.0,10.0,NULL,NULL,1.0,'Chloe Martin',11,NULL,'',0.7);
INSERT INTO "key_result" VALUES(7,'Q3-O3-KR1','Stakeholder survey response rate from 35 % to 70 %',3,'increase','%',35.0,70.0,NULL,NULL,1.0,'Mei Tanaka',NULL,NULL,'',0.7);
INSERT INTO "key_result" VALUES(8,'Q3-O3-KR2','Stakeholder satisfaction from 74 % to 80 %',3,'increase','%',74.0,80.0,NULL,NULL,1.0,'Mei Tanaka',4,NULL,'',0.7);
INSERT INTO "key_result" VALUES(9,'Q3-O3-KR3','Lessons-learned review held for every project closed this quarter',3,'milestone','',0.0,1.0,NULL,NULL,1.0,'Chloe Martin',NULL,NULL,'',1.0);
INSERT INTO "key_result" VALUES(10,'Q4-O1-KR1','Prioritisation framework in place within six months',4,'milestone','',0.0,1.0,NULL,NULL,1.0,'Grace Whitfield',NULL,NULL,'',NULL);
INSERT INTO "key_result" VALUES(11,'Q4-O1-KR2','Projects aligned to strategic goals from 70 % to 90 %',4,'increase','%',70.0,90.0,NULL,NULL,2.0,'Arjun Patel',8,NULL,'',NULL);
INSERT INTO "key_result" VALUES(12,'Q4-O1-KR3','Portfolio ROI up 15 %',4,'increase','%',20.0,23.0,NULL,NULL,1.0,'Samuel Adeyemi',6,NULL,'',NULL);
INSERT INTO "key_result" VALUES(13,'Q4-O2-KR1','Workshops held with 80 % of key executives',5,'increase','%',0.0,80.0,NULL,NULL,1.0,'Mei Tanaka',NULL,100.0,'Two of the ten executive seats are vacant until January; target rebased to the eight executives in post.',NULL);
INSERT INTO "key_result" VALUES(14,'Q4-O2-KR2','Stakeholder satisfaction at 90 %',5,'increase','%',78.0,90.0,NULL,NULL,1.0,'Mei Tanaka',4,NULL,'',NULL);
INSERT INTO "key_result" VALUES(15,'Q4-O3-KR1','Cut change requests per project from 3.2 to 2.0',6,'decrease','per project',3.2,2.0,NULL,NULL,1.0,'Chloe Martin',5,NULL,'',NULL);
INSERT INTO "key_result" VALUES(16,'Q4-O3-KR2','Keep resource utilisation between 75 % and 85 %',6,'within_band','%',88.0,80.0,75.0,85.0,1.0,'Lena Hoffmann',3,NULL,'',NULL);
INSERT INTO "key_result" VALUES(17,'Q4-O3-KR3','Late projects with a sponsor-approved recovery plan from 0 % to 100 %',6,'increase','%',0.0,100.0,NULL,NULL,1.0,'Arjun Patel',NULL,NULL,'',NULL);
CREATE TABLE kpi (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	unit VARCHAR NOT NULL, 
	direction VARCHAR NOT NULL, 
	target FLOAT, 
	warning FLOAT, 
	indicator VARCHAR NOT NULL, 
	nature VARCHAR NOT NULL, 
	owner VARCHAR NOT NULL, 
	cadence VARCHAR NOT NULL, 
	cadence_days INTEGER NOT NULL, 
	strategic_goal_id INTEGER, 
	source VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	last_reviewed DATE, 
	PRIMARY KEY (id), 
	CONSTRAINT kpi_direction_known CHECK (direction IN ('higher','lower')), 
	CONSTRAINT kpi_indicator_known CHECK (indicator IN ('leading','lagging')), 
	CONSTRAINT kpi_nature_known CHECK (nature IN ('quantitative','qualitative')), 
	CONSTRAINT kpi_cadence_positive CHECK (cadence_days > 0), 
	FOREIGN KEY(strategic_goal_id) REFERENCES strategic_goal (id) ON DELETE SET NULL
);
INSERT INTO "kpi" VALUES(1,'ONTIME','Projects on time','Share of active, on-hold and finished projects whose forecast (or actual) finish is on or before the planned finish.','%','higher',80.0,70.0,'lagging','quantitative','Arjun Patel','monthly',31,2,'on_time_pct',1,'2026-10-14');
INSERT INTO "kpi" VALUES(2,'BUDGET','Projects within budget','Share of active, on-hold and finished projects whose estimate at completion (BAC / CPI, or actual cost once done) is within budget.','%','higher',85.0,75.0,'lagging','quantitative','Samuel Adeyemi','monthly',31,2,'within_budget_pct',1,'2026-10-14');
INSERT INTO "kpi" VALUES(3,'UTIL','Resource utilisation','Hours booked to project work divided by available hours of the shared delivery pool, from timesheets. Higher is better up to a point: above about 90 % for more than a month means burnout risk and no slack for incidents.','%','higher',80.0,70.0,'lagging','quantitative','Lena Hoffmann','monthly',31,2,'entered',1,'2026-04-14');
INSERT INTO "kpi" VALUES(4,'SAT','Stakeholder satisfaction','Share of sponsors and business leads rating the PMO''s support 4 or 5 out of 5 in the quarterly stakeholder survey.','%','higher',85.0,75.0,'lagging','qualitative','Mei Tanaka','quarterly',92,3,'entered',1,'2026-07-08');
INSERT INTO "kpi" VALUES(5,'CRPP','Change requests per project','Change requests raised so far, summed over active, on-hold and finished projects, divided by the number of those projects.','per project','lower',2.0,3.0,'lagging','quantitative','Chloe Martin','monthly',31,2,'change_requests_per_project',1,'2026-10-14');
INSERT INTO "kpi" VALUES(6,'ROI','Portfolio ROI','(Benefits - costs) / costs over the portfolio: expected benefit against estimate at completion, realised benefit against actual cost once done.','%','higher',25.0,15.0,'lagging','quantitative','Samuel Adeyemi','monthly',31,1,'roi_pct',1,'2026-10-14');
INSERT INTO "kpi" VALUES(7,'RISKS','Open risks','Risks open across active, on-hold and finished projects, from the latest status update of each.','count','lower',30.0,40.0,'lagging','quantitative','Chloe Martin','monthly',31,4,'open_risks',1,'2026-10-14');
INSERT INTO "kpi" VALUES(8,'ALIGN','Projects aligned to strategy','Share of active, on-hold and finished projects linked to a strategic goal.','%','higher',90.0,75.0,'lagging','quantitative','Grace Whitfield','monthly',31,2,'aligned_pct',1,'2026-10-14');
INSERT INTO "kpi" VALUES(9,'SPI','Schedule performance index','Earned value divided by planned value, summed over active, on-hold and finished projects (EV / PV).','ratio','higher',1.0,0.9,'leading','quantitative','Arjun Patel','monthly',31,2,'spi',1,'2026-10-14');
INSERT INTO "kpi" VALUES(10,'PIPE','Resource demand vs capacity (next quarter)','Person-days requested by approved and proposed projects for the next quarter, as a share of the delivery pool''s capacity.','%','lower',100.0,110.0,'leading','quantitative','Lena Hoffmann','monthly',31,2,'entered',1,'2026-10-14');
INSERT INTO "kpi" VALUES(11,'RAID','Overdue RAID actions','Actions in the portfolio RAID log (risks, assumptions, issues, dependencies) past their due date at the end of the week.','count','lower',10.0,15.0,'leading','quantitative','Chloe Martin','weekly',7,4,'entered',1,'2026-07-08');
INSERT INTO "kpi" VALUES(12,'RPTOT','Reports delivered on time','Share of monthly project status reports received by the fifth working day. Retired at the January 2026 KPI review: status now comes from project updates in the tool.','%','higher',95.0,85.0,'lagging','quantitative','Arjun Patel','monthly',31,2,'entered',0,'2026-01-20');
CREATE TABLE measurement (
	id INTEGER NOT NULL, 
	kpi_id INTEGER NOT NULL, 
	period DATE NOT NULL, 
	value FLOAT NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_measurement_per_kpi_and_period UNIQUE (kpi_id, period), 
	FOREIGN KEY(kpi_id) REFERENCES kpi (id) ON DELETE CASCADE
);
INSERT INTO "measurement" VALUES(1,1,'2025-03-31',86.0,'');
INSERT INTO "measurement" VALUES(2,1,'2025-04-30',87.0,'');
INSERT INTO "measurement" VALUES(3,1,'2025-05-31',88.3,'');
INSERT INTO "measurement" VALUES(4,1,'2025-06-30',87.2,'');
INSERT INTO "measurement" VALUES(5,1,'2025-07-31',89.3,'');
INSERT INTO "measurement" VALUES(6,1,'2025-08-31',88.1,'');
INSERT INTO "measurement" VALUES(7,1,'2025-09-30',89.0,'');
INSERT INTO "measurement" VALUES(8,1,'2025-10-31',88.9,'');
INSERT INTO "measurement" VALUES(9,1,'2025-11-30',87.2,'');
INSERT INTO "measurement" VALUES(10,1,'2025-12-31',85.2,'');
INSERT INTO "measurement" VALUES(11,1,'2026-01-31',86.4,'');
INSERT INTO "measurement" VALUES(12,1,'2026-02-28',85.0,'');
INSERT INTO "measurement" VALUES(13,1,'2026-03-31',83.6,'');
INSERT INTO "measurement" VALUES(14,1,'2026-04-30',84.9,'');
INSERT INTO "measurement" VALUES(15,1,'2026-05-31',83.6,'');
INSERT INTO "measurement" VALUES(16,1,'2026-06-30',82.0,'');
INSERT INTO "measurement" VALUES(17,1,'2026-07-31',80.0,'');
INSERT INTO "measurement" VALUES(18,1,'2026-08-31',79.2,'ERP go-live moved out of the December freeze');
INSERT INTO "measurement" VALUES(19,1,'2026-09-30',78.0,'');
INSERT INTO "measurement" VALUES(20,1,'2026-10-31',76.9,'Mobile app relaunch re-planned to March');
INSERT INTO "measurement" VALUES(21,2,'2025-03-31',84.0,'');
INSERT INTO "measurement" VALUES(22,2,'2025-04-30',82.9,'');
INSERT INTO "measurement" VALUES(23,2,'2025-05-31',85.5,'');
INSERT INTO "measurement" VALUES(24,2,'2025-06-30',84.1,'');
INSERT INTO "measurement" VALUES(25,2,'2025-07-31',86.5,'');
INSERT INTO "measurement" VALUES(26,2,'2025-08-31',85.4,'');
INSERT INTO "measurement" VALUES(27,2,'2025-09-30',84.9,'');
INSERT INTO "measurement" VALUES(28,2,'2025-10-31',86.0,'');
INSERT INTO "measurement" VALUES(29,2,'2025-11-30',86.0,'');
INSERT INTO "measurement" VALUES(30,2,'2025-12-31',86.2,'');
INSERT INTO "measurement" VALUES(31,2,'2026-01-31',83.4,'');
INSERT INTO "measurement" VALUES(32,2,'2026-02-28',84.6,'');
INSERT INTO "measurement" VALUES(33,2,'2026-03-31',82.2,'');
INSERT INTO "measurement" VALUES(34,2,'2026-04-30',83.0,'');
INSERT INTO "measurement" VALUES(35,2,'2026-05-31',81.3,'');
INSERT INTO "measurement" VALUES(36,2,'2026-06-30',81.7,'');
INSERT INTO "measurement" VALUES(37,2,'2026-07-31',81.8,'');
INSERT INTO "measurement" VALUES(38,2,'2026-08-31',80.7,'');
INSERT INTO "measurement" VALUES(39,2,'2026-09-30',79.1,'');
INSERT INTO "measurement" VALUES(40,2,'2026-10-31',76.9,'CRM consolidation joined ERP and mobile app above budget');
INSERT INTO "measurement" VALUES(41,3,'2025-03-31',79.0,'');
INSERT INTO "measurement" VALUES(42,3,'2025-04-30',77.8,'');
INSERT INTO "measurement" VALUES(43,3,'2025-05-31',79.7,'');
INSERT INTO "measurement" VALUES(44,3,'2025-06-30',79.3,'');
INSERT INTO "measurement" VALUES(45,3,'2025-07-31',79.7,'');
INSERT INTO "measurement" VALUES(46,3,'2025-08-31',79.5,'');
INSERT INTO "measurement" VALUES(47,3,'2025-09-30',80.3,'');
INSERT INTO "measurement" VALUES(48,3,'2025-10-31',79.9,'');
INSERT INTO "measurement" VALUES(49,3,'2025-11-30',79.9,'');
INSERT INTO "measurement" VALUES(50,3,'2025-12-31',81.4,'');
INSERT INTO "measurement" VALUES(51,3,'2026-01-31',82.0,'');
INSERT INTO "measurement" VALUES(52,3,'2026-02-28',83.1,'');
INSERT INTO "measurement" VALUES(53,3,'2026-03-31',82.0,'');
INSERT INTO "measurement" VALUES(54,3,'2026-04-30',83.9,'');
INSERT INTO "measurement" VALUES(55,3,'2026-05-31',84.4,'');
INSERT INTO "measurement" VALUES(56,3,'2026-06-30',86.0,'');
INSERT INTO "measurement" VALUES(57,3,'2026-07-31',88.0,'');
INSERT INTO "measurement" VALUES(58,3,'2026-08-31',93.0,'Above 90 %: data and integration teams working overtime');
INSERT INTO "measurement" VALUES(59,4,'2025-03-31',68.0,'');
INSERT INTO "measurement" VALUES(60,4,'2025-06-30',70.0,'');
INSERT INTO "measurement" VALUES(61,4,'2025-09-30',69.0,'');
INSERT INTO "measurement" VALUES(62,4,'2025-12-31',72.0,'');
INSERT INTO "measurement" VALUES(63,4,'2026-03-31',73.0,'');
INSERT INTO "measurement" VALUES(64,4,'2026-06-30',74.0,'');
INSERT INTO "measurement" VALUES(65,4,'2026-09-30',78.0,'Response rate up to 60 % after the feedback-loop OKR');
INSERT INTO "measurement" VALUES(66,5,'2025-03-31',2.1,'');
INSERT INTO "measurement" VALUES(67,5,'2025-04-30',2.1,'');
INSERT INTO "measurement" VALUES(68,5,'2025-05-31',2.1,'');
INSERT INTO "measurement" VALUES(69,5,'2025-06-30',2.1,'');
INSERT INTO "measurement" VALUES(70,5,'2025-07-31',2.2,'');
INSERT INTO "measurement" VALUES(71,5,'2025-08-31',2.3,'');
INSERT INTO "measurement" VALUES(72,5,'2025-09-30',2.3,'');
INSERT INTO "measurement" VALUES(73,5,'2025-10-31',2.4,'');
INSERT INTO "measurement" VALUES(74,5,'2025-11-30',2.5,'');
INSERT INTO "measurement" VALUES(75,5,'2025-12-31',2.5,'');
INSERT INTO "measurement" VALUES(76,5,'2026-01-31',2.5,'');
INSERT INTO "measurement" VALUES(77,5,'2026-02-28',2.6,'');
INSERT INTO "measurement" VALUES(78,5,'2026-03-31',2.7,'');
INSERT INTO "measurement" VALUES(79,5,'2026-04-30',2.8,'');
INSERT INTO "measurement" VALUES(80,5,'2026-05-31',2.9,'');
INSERT INTO "measurement" VALUES(81,5,'2026-06-30',2.9,'');
INSERT INTO "measurement" VALUES(82,5,'2026-07-31',3.0,'');
INSERT INTO "measurement" VALUES(83,5,'2026-08-31',3.1,'');
INSERT INTO "measurement" VALUES(84,5,'2026-09-30',3.2,'');
INSERT INTO "measurement" VALUES(85,5,'2026-10-31',3.4,'');
INSERT INTO "measurement" VALUES(86,6,'2025-03-31',12.5,'');
INSERT INTO "measurement" VALUES(87,6,'2025-04-30',13.2,'');
INSERT INTO "measurement" VALUES(88,6,'2025-05-31',13.0,'');
INSERT INTO "measurement" VALUES(89,6,'2025-06-30',13.7,'');
INSERT INTO "measurement" VALUES(90,6,'2025-07-31',13.3,'');
INSERT INTO "measurement" VALUES(91,6,'2025-08-31',14.8,'');
INSERT INTO "measurement" VALUES(92,6,'2025-09-30',14.6,'');
INSERT INTO "measurement" VALUES(93,6,'2025-10-31',15.5,'');
INSERT INTO "measurement" VALUES(94,6,'2025-11-30',15.5,'');
INSERT INTO "measurement" VALUES(95,6,'2025-12-31',16.1,'');
INSERT INTO "measurement" VALUES(96,6,'2026-01-31',16.0,'');
INSERT INTO "measurement" VALUES(97,6,'2026-02-28',17.0,'');
INSERT INTO "measurement" VALUES(98,6,'2026-03-31',17.5,'');
INSERT INTO "measurement" VALUES(99,6,'2026-04-30',17.4,'');
INSERT INTO "measurement" VALUES(100,6,'2026-05-31',18.6,'');
INSERT INTO "measurement" VALUES(101,6,'2026-06-30',19.0,'Checkout redesign benefits counted as realised');
INSERT INTO "measurement" VALUES(102,6,'2026-07-31',18.7,'');
INSERT INTO "measurement" VALUES(103,6,'2026-08-31',19.9,'');
INSERT INTO "measurement" VALUES(104,6,'2026-09-30',20.0,'');
INSERT INTO "measurement" VALUES(105,6,'2026-10-31',21.4,'');
INSERT INTO "measurement" VALUES(106,7,'2025-03-31',47.0,'');
INSERT INTO "measurement" VALUES(107,7,'2025-04-30',47.0,'');
INSERT INTO "measurement" VALUES(108,7,'2025-05-31',46.0,'');
INSERT INTO "measurement" VALUES(109,7,'2025-06-30',47.0,'');
INSERT INTO "measurement" VALUES(110,7,'2025-07-31',49.0,'');
INSERT INTO "measurement" VALUES(111,7,'2025-08-31',48.0,'');
INSERT INTO "measurement" VALUES(112,7,'2025-09-30',48.0,'');
INSERT INTO "measurement" VALUES(113,7,'2025-10-31',50.0,'');
INSERT INTO "measurement" VALUES(114,7,'2025-11-30',49.0,'');
INSERT INTO "measurement" VALUES(115,7,'2025-12-31',48.0,'');
INSERT INTO "measurement" VALUES(116,7,'2026-01-31',45.0,'');
INSERT INTO "measurement" VALUES(117,7,'2026-02-28',45.0,'');
INSERT INTO "measurement" VALUES(118,7,'2026-03-31',41.0,'');
INSERT INTO "measurement" VALUES(119,7,'2026-04-30',41.0,'');
INSERT INTO "measurement" VALUES(120,7,'2026-05-31',41.0,'');
INSERT INTO "measurement" VALUES(121,7,'2026-06-30',39.0,'');
INSERT INTO "measurement" VALUES(122,7,'2026-07-31',36.0,'');
INSERT INTO "measurement" VALUES(123,7,'2026-08-31',34.0,'');
INSERT INTO "measurement" VALUES(124,7,'2026-09-30',32.0,'');
INSERT INTO "measurement" VALUES(125,7,'2026-10-31',29.0,'');
INSERT INTO "measurement" VALUES(126,8,'2025-03-31',58.0,'');
INSERT INTO "measurement" VALUES(127,8,'2025-04-30',59.4,'');
INSERT INTO "measurement" VALUES(128,8,'2025-05-31',59.4,'');
INSERT INTO "measurement" VALUES(129,8,'2025-06-30',58.3,'');
INSERT INTO "measurement" VALUES(130,8,'2025-07-31',59.6,'');
INSERT INTO "measurement" VALUES(131,8,'2025-08-31',61.2,'');
INSERT INTO "measurement" VALUES(132,8,'2025-09-30',59.9,'');
INSERT INTO "measurement" VALUES(133,8,'2025-10-31',62.2,'');
INSERT INTO "measurement" VALUES(134,8,'2025-11-30',63.5,'');
INSERT INTO "measurement" VALUES(135,8,'2025-12-31',61.1,'');
INSERT INTO "measurement" VALUES(136,8,'2026-01-31',62.2,'');
INSERT INTO "measurement" VALUES(137,8,'2026-02-28',64.5,'');
INSERT INTO "measurement" VALUES(138,8,'2026-03-31',64.0,'');
INSERT INTO "measurement" VALUES(139,8,'2026-04-30',65.1,'');
INSERT INTO "measurement" VALUES(140,8,'2026-05-31',66.0,'');
INSERT INTO "measurement" VALUES(141,8,'2026-06-30',68.0,'');
INSERT INTO "measurement" VALUES(142,8,'2026-07-31',67.1,'');
INSERT INTO "measurement" VALUES(143,8,'2026-08-31',69.7,'');
INSERT INTO "measurement" VALUES(144,8,'2026-09-30',69.2,'');
INSERT INTO "measurement" VALUES(145,8,'2026-10-31',84.6,'Telephony and billing portal linked to G3 at the October portfolio review');
INSERT INTO "measurement" VALUES(146,9,'2025-03-31',1.01,'');
INSERT INTO "measurement" VALUES(147,9,'2025-04-30',1.01,'');
INSERT INTO "measurement" VALUES(148,9,'2025-05-31',1.01,'');
INSERT INTO "measurement" VALUES(149,9,'2025-06-30',1.0,'');
INSERT INTO "measurement" VALUES(150,9,'2025-07-31',1.0,'');
INSERT INTO "measurement" VALUES(151,9,'2025-08-31',0.99,'');
INSERT INTO "measurement" VALUES(152,9,'2025-09-30',1.0,'');
INSERT INTO "measurement" VALUES(153,9,'2025-10-31',0.99,'');
INSERT INTO "measurement" VALUES(154,9,'2025-11-30',0.99,'');
INSERT INTO "measurement" VALUES(155,9,'2025-12-31',0.98,'');
INSERT INTO "measurement" VALUES(156,9,'2026-01-31',0.99,'');
INSERT INTO "measurement" VALUES(157,9,'2026-02-28',0.99,'');
INSERT INTO "measurement" VALUES(158,9,'2026-03-31',0.99,'');
INSERT INTO "measurement" VALUES(159,9,'2026-04-30',0.97,'');
INSERT INTO "measurement" VALUES(160,9,'2026-05-31',0.97,'');
INSERT INTO "measurement" VALUES(161,9,'2026-06-30',0.97,'');
INSERT INTO "measurement" VALUES(162,9,'2026-07-31',0.96,'');
INSERT INTO "measurement" VALUES(163,9,'2026-08-31',0.95,'');
INSERT INTO "measurement" VALUES(164,9,'2026-09-30',0.95,'');
INSERT INTO "measurement" VALUES(165,9,'2026-10-31',0.93,'');
INSERT INTO "measurement" VALUES(166,10,'2025-03-31',94.0,'');
INSERT INTO "measurement" VALUES(167,10,'2025-04-30',93.6,'');
INSERT INTO "measurement" VALUES(168,10,'2025-05-31',95.7,'');
INSERT INTO "measurement" VALUES(169,10,'2025-06-30',94.0,'');
INSERT INTO "measurement" VALUES(170,10,'2025-07-31',96.3,'');
INSERT INTO "measurement" VALUES(171,10,'2025-08-31',96.4,'');
INSERT INTO "measurement" VALUES(172,10,'2025-09-30',96.8,'');
INSERT INTO "measurement" VALUES(173,10,'2025-10-31',98.4,'');
INSERT INTO "measurement" VALUES(174,10,'2025-11-30',99.2,'');
INSERT INTO "measurement" VALUES(175,10,'2025-12-31',99.9,'');
INSERT INTO "measurement" VALUES(176,10,'2026-01-31',99.0,'');
INSERT INTO "measurement" VALUES(177,10,'2026-02-28',101.3,'');
INSERT INTO "measurement" VALUES(178,10,'2026-03-31',99.7,'');
INSERT INTO "measurement" VALUES(179,10,'2026-04-30',101.5,'');
INSERT INTO "measurement" VALUES(180,10,'2026-05-31',101.4,'');
INSERT INTO "measurement" VALUES(181,10,'2026-06-30',103.3,'');
INSERT INTO "measurement" VALUES(182,10,'2026-07-31',104.0,'');
INSERT INTO "measurement" VALUES(183,10,'2026-08-31',105.7,'');
INSERT INTO "measurement" VALUES(184,10,'2026-09-30',110.5,'');
INSERT INTO "measurement" VALUES(185,10,'2026-10-31',112.0,'2027 intake requests 2,300 person-days more than the pool can supply');
INSERT INTO "measurement" VALUES(186,11,'2025-05-11',22.0,'');
INSERT INTO "measurement" VALUES(187,11,'2025-05-18',22.0,'');
INSERT INTO "measurement" VALUES(188,11,'2025-05-25',23.0,'');
INSERT INTO "measurement" VALUES(189,11,'2025-06-01',23.0,'');
INSERT INTO "measurement" VALUES(190,11,'2025-06-08',21.0,'');
INSERT INTO "measurement" VALUES(191,11,'2025-06-15',22.0,'');
INSERT INTO "measurement" VALUES(192,11,'2025-06-22',23.0,'');
INSERT INTO "measurement" VALUES(193,11,'2025-06-29',22.0,'');
INSERT INTO "measurement" VALUES(194,11,'2025-07-06',22.0,'');
INSERT INTO "measurement" VALUES(195,11,'2025-07-13',24.0,'');
INSERT INTO "measurement" VALUES(196,11,'2025-07-20',23.0,'');
INSERT INTO "measurement" VALUES(197,11,'2025-07-27',25.0,'');
INSERT INTO "measurement" VALUES(198,11,'2025-08-03',24.0,'');
INSERT INTO "measurement" VALUES(199,11,'2025-08-10',25.0,'');
INSERT INTO "measurement" VALUES(200,11,'2025-08-17',25.0,'');
INSERT INTO "measurement" VALUES(201,11,'2025-08-24',24.0,'');
INSERT INTO "measurement" VALUES(202,11,'2025-08-31',25.0,'');
INSERT INTO "measurement" VALUES(203,11,'2025-09-07',25.0,'');
INSERT INTO "measurement" VALUES(204,11,'2025-09-14',25.0,'');
INSERT INTO "measurement" VALUES(205,11,'2025-09-21',26.0,'');
INSERT INTO "measurement" VALUES(206,11,'2025-09-28',24.0,'');
INSERT INTO "measurement" VALUES(207,11,'2025-10-05',26.0,'');
INSERT INTO "measurement" VALUES(208,11,'2025-10-12',27.0,'');
INSERT INTO "measurement" VALUES(209,11,'2025-10-19',26.0,'');
INSERT INTO "measurement" VALUES(210,11,'2025-10-26',26.0,'');
INSERT INTO "measurement" VALUES(211,11,'2025-11-02',26.0,'');
INSERT INTO "measurement" VALUES(212,11,'2025-11-09',26.0,'');
INSERT INTO "measurement" VALUES(213,11,'2025-11-16',24.0,'');
INSERT INTO "measurement" VALUES(214,11,'2025-11-23',26.0,'');
INSERT INTO "measurement" VALUES(215,11,'2025-11-30',24.0,'');
INSERT INTO "measurement" VALUES(216,11,'2025-12-07',25.0,'');
INSERT INTO "measurement" VALUES(217,11,'2025-12-14',24.0,'');
INSERT INTO "measurement" VALUES(218,11,'2025-12-21',26.0,'');
INSERT INTO "measurement" VALUES(219,11,'2025-12-28',24.0,'');
INSERT INTO "measurement" VALUES(220,11,'2026-01-04',24.0,'');
INSERT INTO "measurement" VALUES(221,11,'2026-01-11',24.0,'');
INSERT INTO "measurement" VALUES(222,11,'2026-01-18',24.0,'');
INSERT INTO "measurement" VALUES(223,11,'2026-01-25',25.0,'');
INSERT INTO "measurement" VALUES(224,11,'2026-02-01',25.0,'');
INSERT INTO "measurement" VALUES(225,11,'2026-02-08',25.0,'');
INSERT INTO "measurement" VALUES(226,11,'2026-02-15',23.0,'');
INSERT INTO "measurement" VALUES(227,11,'2026-02-22',23.0,'');
INSERT INTO "measurement" VALUES(228,11,'2026-03-01',24.0,'');
INSERT INTO "measurement" VALUES(229,11,'2026-03-08',22.0,'');
INSERT INTO "measurement" VALUES(230,11,'2026-03-15',24.0,'');
INSERT INTO "measurement" VALUES(231,11,'2026-03-22',23.0,'');
INSERT INTO "measurement" VALUES(232,11,'2026-03-29',22.0,'');
INSERT INTO "measurement" VALUES(233,11,'2026-04-05',23.0,'');
INSERT INTO "measurement" VALUES(234,11,'2026-04-12',22.0,'');
INSERT INTO "measurement" VALUES(235,11,'2026-04-19',23.0,'');
INSERT INTO "measurement" VALUES(236,11,'2026-04-26',22.0,'');
INSERT INTO "measurement" VALUES(237,11,'2026-05-03',21.0,'');
INSERT INTO "measurement" VALUES(238,11,'2026-05-10',22.0,'');
INSERT INTO "measurement" VALUES(239,11,'2026-05-17',22.0,'');
INSERT INTO "measurement" VALUES(240,11,'2026-05-24',20.0,'');
INSERT INTO "measurement" VALUES(241,11,'2026-05-31',20.0,'');
INSERT INTO "measurement" VALUES(242,11,'2026-06-07',22.0,'');
INSERT INTO "measurement" VALUES(243,11,'2026-06-14',20.0,'');
INSERT INTO "measurement" VALUES(244,11,'2026-06-21',21.0,'');
INSERT INTO "measurement" VALUES(245,11,'2026-06-28',20.0,'');
INSERT INTO "measurement" VALUES(246,11,'2026-07-05',20.0,'Weekly RAID clinic started');
INSERT INTO "measurement" VALUES(247,11,'2026-07-12',18.0,'');
INSERT INTO "measurement" VALUES(248,11,'2026-07-19',19.0,'');
INSERT INTO "measurement" VALUES(249,11,'2026-07-26',17.0,'');
INSERT INTO "measurement" VALUES(250,11,'2026-08-02',19.0,'');
INSERT INTO "measurement" VALUES(251,11,'2026-08-09',17.0,'');
INSERT INTO "measurement" VALUES(252,11,'2026-08-16',15.0,'');
INSERT INTO "measurement" VALUES(253,11,'2026-08-23',15.0,'');
INSERT INTO "measurement" VALUES(254,11,'2026-08-30',15.0,'');
INSERT INTO "measurement" VALUES(255,11,'2026-09-06',14.0,'');
INSERT INTO "measurement" VALUES(256,11,'2026-09-13',13.0,'');
INSERT INTO "measurement" VALUES(257,11,'2026-09-20',14.0,'');
INSERT INTO "measurement" VALUES(258,11,'2026-09-27',13.0,'');
INSERT INTO "measurement" VALUES(259,11,'2026-10-04',13.0,'');
INSERT INTO "measurement" VALUES(260,11,'2026-10-11',11.0,'');
INSERT INTO "measurement" VALUES(261,11,'2026-10-18',12.0,'');
INSERT INTO "measurement" VALUES(262,11,'2026-10-25',12.0,'');
INSERT INTO "measurement" VALUES(263,11,'2026-11-01',11.0,'');
INSERT INTO "measurement" VALUES(264,11,'2026-11-08',11.0,'');
INSERT INTO "measurement" VALUES(265,11,'2026-11-15',9.0,'Lowest since the log moved into the PMO tool');
INSERT INTO "measurement" VALUES(266,12,'2025-03-31',88.0,'');
INSERT INTO "measurement" VALUES(267,12,'2025-04-30',91.7,'');
INSERT INTO "measurement" VALUES(268,12,'2025-05-31',91.0,'');
INSERT INTO "measurement" VALUES(269,12,'2025-06-30',91.3,'');
INSERT INTO "measurement" VALUES(270,12,'2025-07-31',90.3,'');
INSERT INTO "measurement" VALUES(271,12,'2025-08-31',93.0,'');
INSERT INTO "measurement" VALUES(272,12,'2025-09-30',91.6,'');
INSERT INTO "measurement" VALUES(273,12,'2025-10-31',91.0,'');
INSERT INTO "measurement" VALUES(274,12,'2025-11-30',94.0,'');
INSERT INTO "measurement" VALUES(275,12,'2025-12-31',91.0,'Last month reported before retirement');
CREATE TABLE objective (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	cycle_id INTEGER NOT NULL, 
	owner VARCHAR NOT NULL, 
	strategic_goal_id INTEGER, 
	parent_id INTEGER, 
	carried_from_id INTEGER, 
	status VARCHAR NOT NULL, 
	grade FLOAT, 
	PRIMARY KEY (id), 
	CONSTRAINT objective_status_known CHECK (status IN ('draft','active','done','archived')), 
	CONSTRAINT grade_0_to_1 CHECK (grade IS NULL OR (grade >= 0 AND grade <= 1)), 
	FOREIGN KEY(cycle_id) REFERENCES cycle (id) ON DELETE CASCADE, 
	FOREIGN KEY(strategic_goal_id) REFERENCES strategic_goal (id) ON DELETE SET NULL, 
	FOREIGN KEY(parent_id) REFERENCES objective (id) ON DELETE SET NULL, 
	FOREIGN KEY(carried_from_id) REFERENCES objective (id) ON DELETE SET NULL
);
INSERT INTO "objective" VALUES(1,'Q3-O1','Put portfolio reporting on a single source of truth',1,'Grace Whitfield',2,NULL,NULL,'done',0.8);
INSERT INTO "objective" VALUES(2,'Q3-O2','Make delivery more predictable',1,'Grace Whitfield',2,NULL,NULL,'done',0.5);
INSERT INTO "objective" VALUES(3,'Q3-O3','Launch the PMO''s stakeholder feedback loop',1,'Mei Tanaka',3,NULL,NULL,'done',0.8);
INSERT INTO "objective" VALUES(4,'Q4-O1','Increase the PMO''s contribution to strategic outcomes',2,'Grace Whitfield',2,NULL,NULL,'active',NULL);
INSERT INTO "objective" VALUES(5,'Q4-O2','Improve stakeholder perception of PMO value',2,'Mei Tanaka',3,4,NULL,'active',NULL);
INSERT INTO "objective" VALUES(6,'Q4-O3','Make delivery more predictable',2,'Grace Whitfield',2,NULL,2,'active',NULL);
CREATE TABLE project (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	owner VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	strategic_goal_id INTEGER, 
	start DATE NOT NULL, 
	planned_finish DATE NOT NULL, 
	actual_finish DATE, 
	budget FLOAT NOT NULL, 
	expected_benefit FLOAT NOT NULL, 
	realised_benefit FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT project_budget_not_negative CHECK (budget >= 0), 
	CONSTRAINT project_status_known CHECK (status IN ('proposed','active','on_hold','done','cancelled')), 
	FOREIGN KEY(strategic_goal_id) REFERENCES strategic_goal (id) ON DELETE SET NULL
);
INSERT INTO "project" VALUES(1,'PRJ-101','ERP upgrade to the cloud suite','Priya Raman','active',2,'2025-09-01','2026-12-31',NULL,3800000.0,4950000.0,0.0);
INSERT INTO "project" VALUES(2,'PRJ-102','CRM consolidation','Daniel Kowalczyk','active',3,'2026-01-12','2027-03-31',NULL,1450000.0,1950000.0,0.0);
INSERT INTO "project" VALUES(3,'PRJ-103','Customer data platform','Sofia Lindqvist','active',1,'2026-03-02','2027-06-30',NULL,2600000.0,3600000.0,0.0);
INSERT INTO "project" VALUES(4,'PRJ-104','Mobile app relaunch','Marcus Bell','active',1,'2026-02-02','2026-12-18',NULL,1200000.0,1500000.0,0.0);
INSERT INTO "project" VALUES(5,'PRJ-105','GDPR records of processing programme','Ingrid Solberg','active',4,'2026-01-05','2026-12-31',NULL,680000.0,760000.0,0.0);
INSERT INTO "project" VALUES(6,'PRJ-106','Warehouse automation phase 2','Kwame Mensah','active',2,'2025-11-03','2027-05-28',NULL,4000000.0,5100000.0,0.0);
INSERT INTO "project" VALUES(7,'PRJ-107','E-commerce checkout redesign','Lucía Ferrer','done',1,'2025-10-06','2026-06-30','2026-06-26',520000.0,1100000.0,640000.0);
INSERT INTO "project" VALUES(8,'PRJ-108','Intranet refresh','Oliver Grant','active',NULL,'2026-04-06','2026-11-27',NULL,150000.0,120000.0,0.0);
INSERT INTO "project" VALUES(9,'PRJ-109','Supplier self-service portal','Hannah Becker','active',2,'2026-02-16','2027-01-29',NULL,890000.0,1200000.0,0.0);
INSERT INTO "project" VALUES(10,'PRJ-110','Contact centre telephony replacement','Yusuf Demir','active',3,'2026-05-04','2027-02-26',NULL,760000.0,950000.0,0.0);
INSERT INTO "project" VALUES(11,'PRJ-111','Office move to the Riverside campus','Claire Dubois','on_hold',NULL,'2026-03-02','2027-09-30',NULL,1900000.0,1850000.0,0.0);
INSERT INTO "project" VALUES(12,'PRJ-112','Sanctions screening upgrade','Ravi Menon','done',4,'2025-11-17','2026-09-30','2026-09-25',430000.0,600000.0,520000.0);
INSERT INTO "project" VALUES(13,'PRJ-113','Self-service billing portal','Emily Novak','active',3,'2026-06-01','2027-04-30',NULL,980000.0,1300000.0,0.0);
INSERT INTO "project" VALUES(14,'PRJ-114','AI-assisted demand forecasting pilot','Noah Fischer','proposed',2,'2027-01-11','2027-09-30',NULL,350000.0,900000.0,0.0);
CREATE TABLE project_update (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"on" DATE NOT NULL, 
	forecast_finish DATE, 
	planned_value FLOAT NOT NULL, 
	earned_value FLOAT NOT NULL, 
	actual_cost FLOAT NOT NULL, 
	change_requests INTEGER NOT NULL, 
	open_risks INTEGER NOT NULL, 
	satisfaction FLOAT, 
	comment VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_update_per_project_and_day UNIQUE (project_id, "on"), 
	CONSTRAINT update_values_not_negative CHECK (planned_value >= 0 AND earned_value >= 0 AND actual_cost >= 0), 
	CONSTRAINT update_counts_not_negative CHECK (change_requests >= 0 AND open_risks >= 0), 
	CONSTRAINT update_satisfaction_is_percent CHECK (satisfaction IS NULL OR (satisfaction >= 0 AND satisfaction <= 100)), 
	FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
INSERT INTO "project_update" VALUES(1,1,'2026-04-30','2026-12-31',1884400.0,1872900.0,1909400.0,2,3,83.0,'Design authority signed off the finance blueprint');
INSERT INTO "project_update" VALUES(2,1,'2026-05-31','2026-12-31',2126700.0,2084300.0,2154600.0,3,4,78.0,'Data migration rehearsal 1 found 14 % of vendor records incomplete');
INSERT INTO "project_update" VALUES(3,1,'2026-06-30','2027-01-14',2361300.0,2267300.0,2395500.0,5,3,76.0,'Integration build two weeks behind; extra contractors on-boarded');
INSERT INTO "project_update" VALUES(4,1,'2026-07-31','2027-01-28',2603700.0,2462500.0,2641400.0,6,5,76.0,'Second migration rehearsal failed on open purchase orders');
INSERT INTO "project_update" VALUES(5,1,'2026-08-31','2027-02-18',2846100.0,2600300.0,2839600.0,7,4,73.0,'Go-live moved out of the December freeze; costs running above plan');
INSERT INTO "project_update" VALUES(6,1,'2026-09-30','2027-03-11',3080700.0,2759000.0,3071300.0,8,5,70.0,'Re-plan agreed in principle: cut-over now targeted for April');
INSERT INTO "project_update" VALUES(7,1,'2026-10-31','2027-04-08',3323000.0,2929600.0,3334700.0,9,5,69.0,'Recovery plan approved by sponsor; contractor rates still driving overrun');
INSERT INTO "project_update" VALUES(8,1,'2026-11-15','2027-04-29',3440300.0,2958700.0,3440300.0,10,5,64.0,'Fortnightly check: payroll interface testing started, 3 defects critical');
INSERT INTO "project_update" VALUES(9,2,'2026-05-31','2027-03-31',455000.0,459600.0,474100.0,1,4,80.0,'Three regional CRMs mapped to the target data model');
INSERT INTO "project_update" VALUES(10,2,'2026-06-30','2027-03-31',553200.0,551700.0,577100.0,2,3,77.0,'Licence true-up came in above the business case');
INSERT INTO "project_update" VALUES(11,2,'2026-07-31','2027-03-31',654600.0,651600.0,698200.0,3,3,77.0,'Sales asked for two extra pipeline views (CR-4, CR-5)');
INSERT INTO "project_update" VALUES(12,2,'2026-08-31','2027-03-31',756100.0,750700.0,823800.0,4,3,76.0,'First region migrated; duplicate accounts cleaned up');
INSERT INTO "project_update" VALUES(13,2,'2026-09-30','2027-03-31',854300.0,839500.0,951400.0,5,3,74.0,'Integration partner day rates renegotiated, overrun persists');
INSERT INTO "project_update" VALUES(14,2,'2026-10-31','2027-03-31',955800.0,936700.0,1076700.0,6,3,72.0,'Second region live; budget forecast resubmitted to the board');
INSERT INTO "project_update" VALUES(15,3,'2026-04-30','2027-06-30',316300.0,316300.0,310000.0,0,6,80.0,'Vendor selected after proof of concept');
INSERT INTO "project_update" VALUES(16,3,'2026-05-31','2027-06-30',482500.0,487300.0,479700.0,1,4,80.0,'Landing zone and identity set up');
INSERT INTO "project_update" VALUES(17,3,'2026-06-30','2027-06-30',643300.0,645100.0,631100.0,1,5,80.0,'Web and app event streams flowing into the platform');
INSERT INTO "project_update" VALUES(18,3,'2026-07-31','2027-06-30',809500.0,816600.0,797400.0,1,4,82.0,'Consent service integrated with the preference centre');
INSERT INTO "project_update" VALUES(19,3,'2026-08-31','2027-06-30',975700.0,995400.0,970100.0,2,4,85.0,'First audience segments used by the marketing team');
INSERT INTO "project_update" VALUES(20,3,'2026-09-30','2027-06-30',1136500.0,1155100.0,1110700.0,2,3,87.0,'Loyalty data onboarded a week early');
INSERT INTO "project_update" VALUES(21,3,'2026-10-31','2027-06-30',1302700.0,1328800.0,1277700.0,2,3,86.0,'Data quality dashboard live; no open severity-1 issues');
INSERT INTO "project_update" VALUES(22,4,'2026-04-30','2026-12-18',327300.0,317700.0,332300.0,2,3,80.0,'New design system approved by the brand team');
INSERT INTO "project_update" VALUES(23,4,'2026-05-31','2026-12-18',443900.0,421500.0,451700.0,3,3,78.0,'Payments SDK upgrade pulled into scope (CR-2)');
INSERT INTO "project_update" VALUES(24,4,'2026-06-30','2026-12-25',556700.0,517700.0,565600.0,4,4,74.0,'Vendor slipped [again] on API spec');
INSERT INTO "project_update" VALUES(25,4,'2026-07-31','2027-01-08',673400.0,607800.0,676000.0,5,5,73.0,'Accessibility audit found 23 issues to fix before launch');
INSERT INTO "project_update" VALUES(26,4,'2026-08-31','2027-01-29',790000.0,702400.0,798500.0,5,4,71.0,'Store release pushed past the Christmas peak');
INSERT INTO "project_update" VALUES(27,4,'2026-09-30','2027-02-19',902800.0,779000.0,891400.0,6,4,66.0,'Beta with 2,000 customers: crash rate 1.8 %, target 0.5 %');
INSERT INTO "project_update" VALUES(28,4,'2026-10-31','2027-03-19',1019400.0,857400.0,1000200.0,7,5,66.0,'Launch re-planned for March; vendor penalty clause invoked');
INSERT INTO "project_update" VALUES(29,4,'2026-11-15','2027-03-19',1075900.0,882200.0,1050200.0,8,5,62.0,'Fortnightly check: crash rate down to 0.9 %, still over budget');
INSERT INTO "project_update" VALUES(30,5,'2026-06-30','2026-12-31',332400.0,326900.0,320700.0,1,3,79.0,'Records of processing complete for HR and finance');
INSERT INTO "project_update" VALUES(31,5,'2026-07-31','2026-12-31',391000.0,390200.0,378900.0,1,2,83.0,'Retention schedule approved by the data protection officer');
INSERT INTO "project_update" VALUES(32,5,'2026-08-31','2026-12-31',449600.0,451700.0,437500.0,1,2,83.0,'Marketing and sales processing activities documented');
INSERT INTO "project_update" VALUES(33,5,'2026-09-30','2026-12-31',506200.0,508900.0,492700.0,2,2,84.0,'Supplier data processing agreements 80 % renewed');
INSERT INTO "project_update" VALUES(34,5,'2026-10-31','2026-12-31',564800.0,570400.0,553800.0,2,2,85.0,'Internal audit dry run passed with two minor findings');
INSERT INTO "project_update" VALUES(35,6,'2026-03-31','2027-05-28',1036800.0,1008000.0,986400.0,1,6,84.0,'Civil works on the mezzanine started');
INSERT INTO "project_update" VALUES(36,6,'2026-04-30','2027-05-28',1246900.0,1194200.0,1167800.0,2,6,85.0,'Shuttle system order confirmed with the integrator');
INSERT INTO "project_update" VALUES(37,6,'2026-05-31','2027-05-28',1464100.0,1394900.0,1361600.0,2,7,83.0,'Mezzanine steel delivered; crane hire booked');
INSERT INTO "project_update" VALUES(38,6,'2026-06-30','2027-06-11',1674300.0,1580600.0,1552000.0,3,5,81.0,'Shuttle delivery delayed by six weeks at the factory');
INSERT INTO "project_update" VALUES(39,6,'2026-07-31','2027-06-25',1891400.0,1732900.0,1704900.0,3,5,78.0,'Commissioning window moved to avoid peak season');
INSERT INTO "project_update" VALUES(40,6,'2026-08-31','2027-07-23',2108600.0,1925700.0,1911700.0,4,4,79.0,'Conveyor installation done; shuttles still in transit');
INSERT INTO "project_update" VALUES(41,6,'2026-09-30','2027-08-13',2318700.0,2064200.0,2046900.0,4,4,79.0,'Shuttles on site; go-live forecast now end of August 2027');
INSERT INTO "project_update" VALUES(42,6,'2026-10-31','2027-08-27',2535900.0,2231600.0,2209500.0,5,4,76.0,'Site acceptance tests for aisle 1 passed');
INSERT INTO "project_update" VALUES(43,7,'2026-05-31','2026-06-30',461600.0,463700.0,450100.0,1,1,85.0,'Saved cards and wallet payments live; conversion up 0.6 points');
INSERT INTO "project_update" VALUES(44,7,'2026-06-30','2026-06-26',520000.0,520000.0,498000.0,1,1,85.0,'Full rollout done, project closed on 26 June');
INSERT INTO "project_update" VALUES(45,7,'2026-07-31','2026-06-26',520000.0,520000.0,498000.0,2,1,86.0,'Closed; benefits tracking handed to the e-commerce team');
INSERT INTO "project_update" VALUES(46,7,'2026-08-31','2026-06-26',520000.0,520000.0,498000.0,2,1,87.0,'Benefits review: conversion uplift holding at +0.7 points');
INSERT INTO "project_update" VALUES(47,7,'2026-09-30','2026-06-26',520000.0,520000.0,498000.0,3,0,87.0,'Benefits review: wallet payments now 18 % of orders');
INSERT INTO "project_update" VALUES(48,7,'2026-10-31','2026-06-26',520000.0,520000.0,498000.0,3,0,90.0,'Benefits review: 640k realised of the 1.1m business case');
INSERT INTO "project_update" VALUES(49,8,'2026-05-31','2026-11-27',35100.0,35400.0,34100.0,0,2,76.0,'Content audit done: 40 % of pages to be retired');
INSERT INTO "project_update" VALUES(50,8,'2026-06-30','2026-11-27',54300.0,54400.0,52300.0,0,1,76.0,'New templates built on the existing platform');
INSERT INTO "project_update" VALUES(51,8,'2026-07-31','2026-11-27',74000.0,74400.0,71200.0,1,3,78.0,'Migration of team sites started');
INSERT INTO "project_update" VALUES(52,8,'2026-08-31','2026-11-27',93800.0,93300.0,89000.0,1,0,77.0,'People directory linked to the HR system');
INSERT INTO "project_update" VALUES(53,8,'2026-09-30','2026-11-27',113000.0,113000.0,108500.0,1,1,80.0,'Search tuning and accessibility fixes');
INSERT INTO "project_update" VALUES(54,8,'2026-10-31','2026-11-27',132800.0,132800.0,126500.0,1,1,80.0,'Launch communications ready for 23 November');
INSERT INTO "project_update" VALUES(55,9,'2026-07-31','2027-01-29',423200.0,421500.0,411400.0,1,1,80.0,'Invoice upload and status tracking in user testing');
INSERT INTO "project_update" VALUES(56,9,'2026-08-31','2027-01-29',502700.0,494700.0,484900.0,1,2,80.0,'Twelve pilot suppliers onboarded');
INSERT INTO "project_update" VALUES(57,9,'2026-09-30','2027-01-29',579700.0,574200.0,558900.0,2,1,80.0,'E-invoicing connector certified');
INSERT INTO "project_update" VALUES(58,9,'2026-10-31','2027-01-29',659200.0,652600.0,639800.0,2,1,82.0,'Pilot feedback positive; rollout wave 1 planned for December');
INSERT INTO "project_update" VALUES(59,10,'2026-06-30','2027-02-26',145400.0,146400.0,138800.0,0,3,80.0,'Cloud contact centre contract signed');
INSERT INTO "project_update" VALUES(60,10,'2026-07-31','2027-02-26',224400.0,227200.0,216100.0,0,2,82.0,'Number porting plan agreed with the carrier');
INSERT INTO "project_update" VALUES(61,10,'2026-08-31','2027-02-26',303500.0,308400.0,292500.0,1,3,80.0,'Agent desktop piloted with 30 agents');
INSERT INTO "project_update" VALUES(62,10,'2026-09-30','2027-02-26',380000.0,389500.0,369300.0,1,3,85.0,'IVR journeys redesigned; call deflection up 6 %');
INSERT INTO "project_update" VALUES(63,10,'2026-10-31','2027-02-26',459100.0,472900.0,446100.0,1,2,84.0,'Linked to goal G3 at the October portfolio review');
INSERT INTO "project_update" VALUES(64,11,'2026-04-30','2027-09-30',194300.0,195500.0,194100.0,0,1,73.0,'Heads of terms agreed with the landlord');
INSERT INTO "project_update" VALUES(65,11,'2026-05-31','2027-09-30',296400.0,295600.0,295800.0,1,2,74.0,'Space plan drafted with the workplace team');
INSERT INTO "project_update" VALUES(66,11,'2026-06-30','2027-09-30',395100.0,390600.0,391400.0,1,2,71.0,'Fit-out tender issued to four contractors');
INSERT INTO "project_update" VALUES(67,11,'2026-07-31','2027-09-30',497200.0,492000.0,489100.0,1,2,71.0,'Tender returns 12 % above estimate; value engineering started');
INSERT INTO "project_update" VALUES(68,11,'2026-08-31','2027-09-30',599300.0,590700.0,586100.0,2,1,73.0,'On hold: board paused the move pending the 2027 property review');
INSERT INTO "project_update" VALUES(69,11,'2026-09-30','2027-09-30',599300.0,590700.0,586100.0,2,1,69.0,'Still on hold; landlord agreed to keep the offer open until March');
INSERT INTO "project_update" VALUES(70,11,'2026-10-31','2027-09-30',599300.0,590700.0,586100.0,2,1,70.0,'No change; float absorbs the pause if restarted by March');
INSERT INTO "project_update" VALUES(71,12,'2026-05-31','2026-09-30',264500.0,265300.0,262600.0,0,2,80.0,'Screening engine configured for the new sanctions lists');
INSERT INTO "project_update" VALUES(72,12,'2026-06-30','2026-09-30',305200.0,306500.0,303900.0,0,1,80.0,'False-positive rate down from 9 % to 4 % in parallel run');
INSERT INTO "project_update" VALUES(73,12,'2026-07-31','2026-09-30',347300.0,348500.0,341900.0,1,2,82.0,'Regulator walkthrough went well');
INSERT INTO "project_update" VALUES(74,12,'2026-08-31','2026-09-30',389300.0,387300.0,382500.0,1,2,83.0,'Parallel run signed off by compliance');
INSERT INTO "project_update" VALUES(75,12,'2026-09-30','2026-09-25',430000.0,430000.0,421500.0,1,1,85.0,'Cut-over completed on 25 September');
INSERT INTO "project_update" VALUES(76,12,'2026-10-31','2026-09-25',430000.0,430000.0,421500.0,1,0,88.0,'Closed; lessons-learned review held with compliance');
INSERT INTO "project_update" VALUES(77,13,'2026-06-30','2027-04-30',85300.0,85600.0,84400.0,0,4,80.0,'Kick-off held; discovery interviews with 40 customers');
INSERT INTO "project_update" VALUES(78,13,'2026-07-31','2027-04-30',176600.0,176800.0,174300.0,0,2,80.0,'Billing API gaps identified and costed');
INSERT INTO "project_update" VALUES(79,13,'2026-08-31','2027-04-30',267800.0,269700.0,265100.0,1,2,80.0,'Payment plans and paperless billing designed');
INSERT INTO "project_update" VALUES(80,13,'2026-09-30','2027-04-30',356100.0,355200.0,348500.0,1,2,82.0,'Sprint 4 demo: bill explainer page well received');
INSERT INTO "project_update" VALUES(81,13,'2026-10-31','2027-04-30',447300.0,447300.0,438500.0,1,2,81.0,'Linked to goal G3 at the October portfolio review');
CREATE TABLE strategic_goal (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	owner VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "strategic_goal" VALUES(1,'G1','Grow digital revenue','Raise the share of revenue from online and mobile channels from 31 % to 45 % by the end of 2028.','Helena Marsh',1);
INSERT INTO "strategic_goal" VALUES(2,'G2','Improve operational efficiency','Take 8 % out of the cost to serve through automation, fewer systems and leaner processes.','Tomasz Wierzbicki',1);
INSERT INTO "strategic_goal" VALUES(3,'G3','Deliver a better customer experience','Lift the customer NPS from +18 to +35 and resolve 80 % of contacts at first touch.','Amara Okafor',1);
INSERT INTO "strategic_goal" VALUES(4,'G4','Stay compliant and reduce risk','No material regulatory findings; every critical risk has an owner and a tested control.','Rafael Quintero',1);
CREATE UNIQUE INDEX ix_strategic_goal_code ON strategic_goal (code);
CREATE UNIQUE INDEX ix_cycle_name ON cycle (name);
CREATE UNIQUE INDEX ix_project_code ON project (code);
CREATE INDEX ix_project_strategic_goal_id ON project (strategic_goal_id);
CREATE INDEX ix_kpi_strategic_goal_id ON kpi (strategic_goal_id);
CREATE UNIQUE INDEX ix_kpi_code ON kpi (code);
CREATE INDEX ix_objective_cycle_id ON objective (cycle_id);
CREATE INDEX ix_objective_strategic_goal_id ON objective (strategic_goal_id);
CREATE INDEX ix_objective_carried_from_id ON objective (carried_from_id);
CREATE INDEX ix_objective_parent_id ON objective (parent_id);
CREATE UNIQUE INDEX ix_objective_code ON objective (code);
CREATE INDEX ix_answer_assessment_id ON answer (assessment_id);
CREATE INDEX ix_project_update_project_id ON project_update (project_id);
CREATE INDEX ix_measurement_kpi_id ON measurement (kpi_id);
CREATE INDEX ix_measurement_period ON measurement (period);
CREATE UNIQUE INDEX ix_key_result_code ON key_result (code);
CREATE INDEX ix_key_result_objective_id ON key_result (objective_id);
CREATE INDEX ix_key_result_kpi_id ON key_result (kpi_id);
CREATE INDEX ix_check_in_on ON check_in ("on");
CREATE INDEX ix_check_in_key_result_id ON check_in (key_result_id);
COMMIT;
