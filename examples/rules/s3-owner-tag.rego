# A custom Sightline rule: every S3 bucket names its owner in a tag.
# Run it with: sightline scan --rules-dir examples/rules
package sightline.custom.s3_owner_tag

metadata := {
	"id": "custom-s3-owner-tag",
	"title": "S3 buckets carry an owner tag",
	"severity": "low",
	"resource_type": "AWS::S3::Bucket",
	"domain": "configuration",
	"rationale": "A bucket without an owner has no one to ask whether its data may be shared or deleted.",
	"remediation": {
		"console": "S3 > Buckets > BUCKET > Properties > Tags > Edit: add the tag owner.",
		"cli": "aws s3api put-bucket-tagging --bucket BUCKET --tagging 'TagSet=[{Key=owner,Value=TEAM}]'",
		"terraform": "tags = { owner = \"TEAM\" }",
	},
	"references": ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html"],
	"controls": {"nist-800-53-r5": ["CM-8"]},
	"needs": [{"service": "s3", "operation": "GetBucketTagging", "regional": true}],
}

deny contains "the bucket has no owner tag" if {
	not input.resource.tags.owner
}
