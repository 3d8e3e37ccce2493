//! The Replay section and its parts: the section (scenario picker, YAML, exports, the
//! comparison with naive threshold alerting, the notifications list), the timeline of charts on
//! one time axis, its lanes (the incidents, which are the scenario editor, the error ratio, the
//! budget left, the alert states and the notifications per receiver), and the scenario's fields.

pub mod alert_lane;
pub mod axis;
pub mod budget_lane;
pub mod compare;
pub mod fields;
pub mod incident_lane;
pub mod lane;
pub mod notifications;
pub mod ratio_lane;
pub mod receiver_lane;
pub mod section;
pub mod timeline;
