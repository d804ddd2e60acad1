# A custom Sightline rule on IAM roles: sessions last at most four hours.
package sightline.custom.role_session_length

metadata := {
	"id": "custom-iam-role-session-length",
	"title": "IAM roles limit sessions to four hours",
	"severity": "low",
	"resource_type": "AWS::IAM::Role",
	"domain": "identity",
	"rationale": "Long sessions keep stolen temporary credentials valid for longer.",
	"remediation": {
		"console": "IAM > Roles > ROLE > Summary > Edit: maximum session duration 4 hours or less.",
		"cli": "aws iam update-role --role-name ROLE --max-session-duration 14400",
		"terraform": "max_session_duration = 14400",
	},
	"references": ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html"],
}

# Roles exported without the setting cannot be judged.
skip contains "the role record has no MaxSessionDuration" if {
	not input.resource.properties.MaxSessionDuration
}

deny contains sprintf("sessions may last %d seconds", [input.resource.properties.MaxSessionDuration]) if {
	input.resource.properties.MaxSessionDuration > 14400
}
