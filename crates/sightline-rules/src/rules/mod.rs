//! The built-in rules, one file each, and the registry that lists them.

mod azure;
mod credential_report;
mod identity_policies;
mod monitoring;
mod network;
mod password_policy;
mod resource_access;
mod trail_selectors;
mod trust;
mod util;

pub(crate) use resource_access::ExternalAccess;
pub(crate) use util::each_resource;

mod accessanalyzer_enabled;
mod cloudtrail_bucket_logging;
mod cloudtrail_cloudwatch_logs;
mod cloudtrail_kms;
mod cloudtrail_log_validation;
mod cloudtrail_multi_region;
mod cloudtrail_s3_read_events;
mod cloudtrail_s3_write_events;
mod config_enabled;
mod data_scan;
mod ec2_ami_public;
mod ec2_default_sg_closed;
mod ec2_ebs_default_encryption;
mod ec2_imdsv2;
mod ec2_instance_profile;
mod ec2_nacl_admin_ports;
mod ec2_sg_admin_ports_ipv4;
mod ec2_sg_admin_ports_ipv6;
mod ec2_sg_cifs;
mod ec2_snapshot_encrypted;
mod ec2_snapshot_public;
mod ec2_volume_encrypted;
mod ec2_vpc_flow_logs;
mod ecr_repository_cross_account;
mod ecr_repository_public;
mod ecr_scan_on_push;
mod ecr_tag_immutability;
mod efs_backup_policy;
mod efs_encrypted;
mod guardduty_enabled;
mod iam_access_key_unused;
mod iam_expired_server_certificates;
mod iam_no_full_admin_policies;
mod iam_notaction_allow;
mod iam_privilege_escalation;
mod iam_role_trust_external_id;
mod iam_role_trust_oidc_subject;
mod iam_role_trust_public;
mod iam_role_unused;
mod iam_support_role;
mod iam_unused_actions;
mod iam_unused_services;
mod iam_user_no_direct_policies;
mod iam_user_unused;
mod kms_key_cross_account;
mod kms_key_public;
mod kms_rotation;
mod lambda_env_secrets;
mod lambda_function_cross_account;
mod lambda_function_public;
mod lambda_function_url_auth;
mod lambda_runtime_supported;
mod logs_group_retention;
mod monitoring_cloudtrail_changes;
mod monitoring_config_changes;
mod monitoring_console_auth_failures;
mod monitoring_console_login_without_mfa;
mod monitoring_iam_policy_changes;
mod monitoring_kms_key_disable_or_deletion;
mod monitoring_nacl_changes;
mod monitoring_network_gateway_changes;
mod monitoring_organizations_changes;
mod monitoring_root_usage;
mod monitoring_route_table_changes;
mod monitoring_s3_bucket_policy_changes;
mod monitoring_security_group_changes;
mod monitoring_unauthorized_api_calls;
mod monitoring_vpc_changes;
mod rds_auto_minor_upgrade;
mod rds_backups;
mod rds_deletion_protection;
mod rds_encrypted;
mod rds_multi_az;
mod rds_not_public;
mod rds_snapshot_encrypted;
mod rds_snapshot_public;
mod s3_block_public_access;
mod s3_bucket_access_logging;
mod s3_bucket_acl_public;
mod s3_bucket_cross_account;
mod s3_bucket_default_encryption;
mod s3_bucket_public;
mod s3_bucket_versioning;
mod s3_credentials_in_objects;
mod s3_deny_http;
mod s3_sensitive_data;
mod s3_sensitive_data_public;
mod secretsmanager_rotation;
mod secretsmanager_secret_cross_account;
mod secretsmanager_secret_public;
mod securityhub_enabled;
mod sns_topic_cross_account;
mod sns_topic_encrypted;
mod sns_topic_public;
mod sqs_queue_cross_account;
mod sqs_queue_encrypted;
mod sqs_queue_public;
mod unused;

mod azure_activity_alert_nsg_create;
mod azure_activity_alert_nsg_delete;
mod azure_activity_alert_policy_assignment_create;
mod azure_activity_alert_policy_assignment_delete;
mod azure_activity_alert_public_ip_create;
mod azure_activity_alert_public_ip_delete;
mod azure_activity_alert_security_solution_create;
mod azure_activity_alert_security_solution_delete;
mod azure_activity_alert_service_health;
mod azure_activity_alert_sql_firewall_create;
mod azure_activity_alert_sql_firewall_delete;
mod azure_activity_log_categories;
mod azure_activity_log_diagnostic_setting;
mod azure_activity_log_storage_cmk;
mod azure_appgw_http2;
mod azure_appgw_min_tls;
mod azure_appgw_waf_bot_protection;
mod azure_appgw_waf_enabled;
mod azure_appgw_waf_request_body;
mod azure_application_insights;
mod azure_appservice_auth;
mod azure_appservice_ftps;
mod azure_appservice_https_only;
mod azure_appservice_managed_identity;
mod azure_appservice_min_tls;
mod azure_bastion_host_exists;
mod azure_databricks_cmk;
mod azure_databricks_diagnostic_logs;
mod azure_databricks_no_public_ip;
mod azure_databricks_private_endpoints;
mod azure_databricks_public_network;
mod azure_databricks_subnets_nsg;
mod azure_databricks_vnet_injection;
mod azure_defender_agentless_scanning;
mod azure_defender_endpoint_integration;
mod azure_defender_file_integrity_monitoring;
mod azure_defender_plan_apis;
mod azure_defender_plan_app_service;
mod azure_defender_plan_containers;
mod azure_defender_plan_cosmos_db;
mod azure_defender_plan_cspm;
mod azure_defender_plan_key_vault;
mod azure_defender_plan_open_source_databases;
mod azure_defender_plan_resource_manager;
mod azure_defender_plan_servers;
mod azure_defender_plan_sql_servers;
mod azure_defender_plan_sql_vms;
mod azure_defender_plan_storage;
mod azure_defender_vulnerability_assessment;
mod azure_entra_guest_access_restricted;
mod azure_entra_guest_invite_restricted;
mod azure_entra_mfa_security_defaults_or_ca;
mod azure_entra_users_cannot_create_tenants;
mod azure_entra_users_cannot_register_apps;
mod azure_entra_users_mfa_registered;
mod azure_keyvault_certificate_validity;
mod azure_keyvault_key_rotation;
mod azure_keyvault_keys_expiry;
mod azure_keyvault_logging;
mod azure_keyvault_private_endpoints;
mod azure_keyvault_public_network;
mod azure_keyvault_purge_protection;
mod azure_keyvault_rbac_mode;
mod azure_keyvault_secrets_expiry;
mod azure_mysql_audit_log;
mod azure_mysql_secure_transport;
mod azure_network_watcher_enabled;
mod azure_nsg_flow_logs_retention;
mod azure_nsg_flow_logs_traffic_analytics;
mod azure_nsg_http_internet;
mod azure_nsg_rdp_internet;
mod azure_nsg_ssh_internet;
mod azure_nsg_udp_internet;
mod azure_postgres_connection_throttling;
mod azure_postgres_log_checkpoints;
mod azure_postgres_log_connections;
mod azure_postgres_log_disconnections;
mod azure_postgres_secure_transport;
mod azure_rbac_custom_subscription_admin_roles;
mod azure_rbac_disabled_users_roles;
mod azure_rbac_subscription_owners;
mod azure_rbac_user_access_admin;
mod azure_security_contacts_alert_severity;
mod azure_security_contacts_attack_paths;
mod azure_security_contacts_email;
mod azure_security_contacts_owners;
mod azure_sql_auditing;
mod azure_sql_entra_admin;
mod azure_sql_firewall_open;
mod azure_sql_tde;
mod azure_storage_blob_versioning;
mod azure_storage_cmk;
mod azure_storage_container_public;
mod azure_storage_cross_tenant_replication;
mod azure_storage_default_entra_authorization;
mod azure_storage_default_network_deny;
mod azure_storage_delete_lock;
mod azure_storage_geo_redundant;
mod azure_storage_infrastructure_encryption;
mod azure_storage_key_rotation_reminder;
mod azure_storage_keys_rotated;
mod azure_storage_min_tls_1_2;
mod azure_storage_private_endpoints;
mod azure_storage_public_blob_access_disabled;
mod azure_storage_public_network_access;
mod azure_storage_readonly_lock;
mod azure_storage_secure_transfer;
mod azure_storage_sensitive_data_public;
mod azure_storage_shared_key_disabled;
mod azure_storage_smb_channel_encryption;
mod azure_storage_smb_version;
mod azure_storage_soft_delete_blobs;
mod azure_storage_soft_delete_containers;
mod azure_storage_soft_delete_file_shares;
mod azure_storage_trusted_services_bypass;
mod azure_vm_managed_disks;
mod azure_vnet_ddos_protection;
mod azure_vnet_flow_logs_retention;
mod azure_vnet_flow_logs_traffic_analytics;
mod azure_vnet_subnets_nsg;
mod azure_vpn_p2s_entra_auth;
mod iam_access_key_rotated;
mod iam_password_min_length;
mod iam_password_reuse;
mod iam_root_access_keys;
mod iam_root_mfa;
mod iam_unused_credentials;
mod iam_user_console_mfa;
mod iam_user_one_active_key;

use crate::meta::Rule;

/// Every built-in rule, in the order scans run them and listings show them.
pub static RULES: &[&Rule] = &[
    &iam_root_access_keys::RULE,
    &iam_root_mfa::RULE,
    &iam_password_min_length::RULE,
    &iam_password_reuse::RULE,
    &iam_user_console_mfa::RULE,
    &iam_unused_credentials::RULE,
    &iam_user_one_active_key::RULE,
    &iam_access_key_rotated::RULE,
    &iam_user_no_direct_policies::RULE,
    &iam_no_full_admin_policies::RULE,
    &iam_role_trust_public::RULE,
    &iam_role_trust_external_id::RULE,
    &iam_role_trust_oidc_subject::RULE,
    &iam_support_role::RULE,
    &ec2_instance_profile::RULE,
    &iam_expired_server_certificates::RULE,
    &accessanalyzer_enabled::RULE,
    &config_enabled::RULE,
    &securityhub_enabled::RULE,
    &s3_block_public_access::RULE,
    &s3_bucket_public::RULE,
    &s3_sensitive_data::RULE,
    &s3_sensitive_data_public::RULE,
    &s3_credentials_in_objects::RULE,
    &s3_bucket_cross_account::RULE,
    &sns_topic_public::RULE,
    &sns_topic_cross_account::RULE,
    &sqs_queue_public::RULE,
    &sqs_queue_cross_account::RULE,
    &lambda_function_public::RULE,
    &lambda_function_cross_account::RULE,
    &ecr_repository_public::RULE,
    &ecr_repository_cross_account::RULE,
    &kms_key_public::RULE,
    &kms_key_cross_account::RULE,
    &secretsmanager_secret_public::RULE,
    &secretsmanager_secret_cross_account::RULE,
    &rds_encrypted::RULE,
    &rds_auto_minor_upgrade::RULE,
    &rds_not_public::RULE,
    &efs_encrypted::RULE,
    &cloudtrail_log_validation::RULE,
    &cloudtrail_kms::RULE,
    &kms_rotation::RULE,
    &ec2_vpc_flow_logs::RULE,
    &ec2_ebs_default_encryption::RULE,
    &ec2_sg_cifs::RULE,
    &ec2_nacl_admin_ports::RULE,
    &ec2_sg_admin_ports_ipv4::RULE,
    &ec2_sg_admin_ports_ipv6::RULE,
    &ec2_default_sg_closed::RULE,
    &ec2_imdsv2::RULE,
    &ec2_ami_public::RULE,
    &ec2_snapshot_public::RULE,
    &rds_snapshot_public::RULE,
    &ec2_volume_encrypted::RULE,
    &ec2_snapshot_encrypted::RULE,
    &rds_snapshot_encrypted::RULE,
    &sqs_queue_encrypted::RULE,
    &sns_topic_encrypted::RULE,
    &s3_bucket_default_encryption::RULE,
    &s3_bucket_versioning::RULE,
    &s3_bucket_access_logging::RULE,
    &s3_bucket_acl_public::RULE,
    &logs_group_retention::RULE,
    &lambda_runtime_supported::RULE,
    &lambda_env_secrets::RULE,
    &secretsmanager_rotation::RULE,
    &rds_backups::RULE,
    &rds_deletion_protection::RULE,
    &rds_multi_az::RULE,
    &ecr_scan_on_push::RULE,
    &ecr_tag_immutability::RULE,
    &efs_backup_policy::RULE,
    &cloudtrail_multi_region::RULE,
    &cloudtrail_s3_write_events::RULE,
    &cloudtrail_s3_read_events::RULE,
    &cloudtrail_cloudwatch_logs::RULE,
    &s3_deny_http::RULE,
    &cloudtrail_bucket_logging::RULE,
    &guardduty_enabled::RULE,
    &monitoring_unauthorized_api_calls::RULE,
    &monitoring_console_login_without_mfa::RULE,
    &monitoring_root_usage::RULE,
    &monitoring_iam_policy_changes::RULE,
    &monitoring_cloudtrail_changes::RULE,
    &monitoring_console_auth_failures::RULE,
    &monitoring_kms_key_disable_or_deletion::RULE,
    &monitoring_s3_bucket_policy_changes::RULE,
    &monitoring_config_changes::RULE,
    &monitoring_security_group_changes::RULE,
    &monitoring_nacl_changes::RULE,
    &monitoring_network_gateway_changes::RULE,
    &monitoring_route_table_changes::RULE,
    &monitoring_vpc_changes::RULE,
    &monitoring_organizations_changes::RULE,
    &lambda_function_url_auth::RULE,
    &iam_notaction_allow::RULE,
    &iam_privilege_escalation::RULE,
    &iam_role_unused::RULE,
    &iam_user_unused::RULE,
    &iam_access_key_unused::RULE,
    &iam_unused_services::RULE,
    &iam_unused_actions::RULE,
    &azure_storage_secure_transfer::RULE,
    &azure_storage_min_tls_1_2::RULE,
    &azure_storage_public_blob_access_disabled::RULE,
    &azure_storage_shared_key_disabled::RULE,
    &azure_storage_public_network_access::RULE,
    &azure_storage_default_network_deny::RULE,
    &azure_storage_trusted_services_bypass::RULE,
    &azure_storage_private_endpoints::RULE,
    &azure_storage_cross_tenant_replication::RULE,
    &azure_storage_default_entra_authorization::RULE,
    &azure_storage_key_rotation_reminder::RULE,
    &azure_storage_keys_rotated::RULE,
    &azure_storage_geo_redundant::RULE,
    &azure_storage_soft_delete_blobs::RULE,
    &azure_storage_container_public::RULE,
    &azure_storage_sensitive_data_public::RULE,
    &azure_storage_soft_delete_containers::RULE,
    &azure_storage_blob_versioning::RULE,
    &azure_storage_soft_delete_file_shares::RULE,
    &azure_storage_smb_version::RULE,
    &azure_storage_smb_channel_encryption::RULE,
    &azure_storage_delete_lock::RULE,
    &azure_storage_readonly_lock::RULE,
    &azure_keyvault_purge_protection::RULE,
    &azure_keyvault_rbac_mode::RULE,
    &azure_keyvault_public_network::RULE,
    &azure_keyvault_private_endpoints::RULE,
    &azure_keyvault_keys_expiry::RULE,
    &azure_keyvault_secrets_expiry::RULE,
    &azure_keyvault_key_rotation::RULE,
    &azure_keyvault_logging::RULE,
    &azure_keyvault_certificate_validity::RULE,
    &azure_entra_users_mfa_registered::RULE,
    &azure_databricks_vnet_injection::RULE,
    &azure_databricks_subnets_nsg::RULE,
    &azure_databricks_diagnostic_logs::RULE,
    &azure_databricks_cmk::RULE,
    &azure_databricks_no_public_ip::RULE,
    &azure_databricks_public_network::RULE,
    &azure_databricks_private_endpoints::RULE,
    &azure_nsg_rdp_internet::RULE,
    &azure_nsg_ssh_internet::RULE,
    &azure_nsg_udp_internet::RULE,
    &azure_nsg_http_internet::RULE,
    &azure_network_watcher_enabled::RULE,
    &azure_nsg_flow_logs_retention::RULE,
    &azure_vnet_flow_logs_retention::RULE,
    &azure_vnet_subnets_nsg::RULE,
    &azure_vnet_ddos_protection::RULE,
    &azure_bastion_host_exists::RULE,
    &azure_defender_plan_cspm::RULE,
    &azure_defender_plan_apis::RULE,
    &azure_defender_plan_servers::RULE,
    &azure_defender_plan_containers::RULE,
    &azure_defender_plan_storage::RULE,
    &azure_defender_plan_app_service::RULE,
    &azure_defender_plan_cosmos_db::RULE,
    &azure_defender_plan_open_source_databases::RULE,
    &azure_defender_plan_sql_servers::RULE,
    &azure_defender_plan_sql_vms::RULE,
    &azure_defender_plan_key_vault::RULE,
    &azure_defender_plan_resource_manager::RULE,
    &azure_defender_endpoint_integration::RULE,
    &azure_defender_vulnerability_assessment::RULE,
    &azure_security_contacts_owners::RULE,
    &azure_security_contacts_email::RULE,
    &azure_security_contacts_alert_severity::RULE,
    &azure_security_contacts_attack_paths::RULE,
    &azure_activity_log_diagnostic_setting::RULE,
    &azure_activity_log_categories::RULE,
    &azure_activity_alert_policy_assignment_create::RULE,
    &azure_activity_alert_policy_assignment_delete::RULE,
    &azure_activity_alert_nsg_create::RULE,
    &azure_activity_alert_nsg_delete::RULE,
    &azure_activity_alert_security_solution_create::RULE,
    &azure_activity_alert_security_solution_delete::RULE,
    &azure_activity_alert_sql_firewall_create::RULE,
    &azure_activity_alert_sql_firewall_delete::RULE,
    &azure_activity_alert_public_ip_create::RULE,
    &azure_activity_alert_public_ip_delete::RULE,
    &azure_activity_alert_service_health::RULE,
    &azure_application_insights::RULE,
    &azure_entra_users_cannot_register_apps::RULE,
    &azure_entra_users_cannot_create_tenants::RULE,
    &azure_entra_guest_access_restricted::RULE,
    &azure_entra_guest_invite_restricted::RULE,
    &azure_entra_mfa_security_defaults_or_ca::RULE,
    &azure_rbac_user_access_admin::RULE,
    &azure_rbac_subscription_owners::RULE,
    &azure_rbac_custom_subscription_admin_roles::RULE,
    &azure_appgw_waf_enabled::RULE,
    &azure_appgw_min_tls::RULE,
    &azure_appgw_http2::RULE,
    &azure_appgw_waf_request_body::RULE,
    &azure_appgw_waf_bot_protection::RULE,
    &azure_vpn_p2s_entra_auth::RULE,
    &azure_sql_auditing::RULE,
    &azure_sql_entra_admin::RULE,
    &azure_sql_firewall_open::RULE,
    &azure_sql_tde::RULE,
    &azure_appservice_https_only::RULE,
    &azure_appservice_managed_identity::RULE,
    &azure_appservice_min_tls::RULE,
    &azure_appservice_ftps::RULE,
    &azure_postgres_secure_transport::RULE,
    &azure_mysql_secure_transport::RULE,
    &azure_storage_infrastructure_encryption::RULE,
    &azure_vm_managed_disks::RULE,
    &azure_defender_agentless_scanning::RULE,
    &azure_defender_file_integrity_monitoring::RULE,
    &azure_nsg_flow_logs_traffic_analytics::RULE,
    &azure_vnet_flow_logs_traffic_analytics::RULE,
    &azure_activity_log_storage_cmk::RULE,
    &azure_rbac_disabled_users_roles::RULE,
    &azure_postgres_log_connections::RULE,
    &azure_postgres_log_disconnections::RULE,
    &azure_postgres_log_checkpoints::RULE,
    &azure_postgres_connection_throttling::RULE,
    &azure_mysql_audit_log::RULE,
    &azure_appservice_auth::RULE,
    &azure_storage_cmk::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Out, Scan};
    use serde_json::{json, Value};
    use sightline_model::{FindingStatus, Snapshot};

    const ACCOUNT: &str = "123456789012";
    const REGION: &str = "us-east-1";
    /// The subscription and tenant of the Azure rules' fixtures.
    pub(crate) const SUBSCRIPTION: &str = "00000000-0000-0000-0000-00000000000a";
    pub(crate) const TENANT: &str = "00000000-0000-0000-0000-0000000000aa";

    /// Builds a snapshot from a fixture, filling `provider` and `account_id`, one account, and a `collected`
    /// coverage record for each of the rule's needs (in us-east-1 for regional ones) unless the fixture has its own
    /// coverage. With `fail_needs`, those records say `failed` instead.
    pub(crate) fn snapshot(rule: &Rule, fixture: &str, fail_needs: bool) -> Snapshot {
        let mut v: Value =
            serde_json::from_str(fixture).unwrap_or_else(|e| panic!("{}: bad fixture: {e}", rule.meta.id));
        let o = v.as_object_mut().unwrap();
        let azure = rule.meta.provider() == sightline_model::Provider::Azure;
        let (provider, account) = if azure { ("azure", SUBSCRIPTION) } else { ("aws", ACCOUNT) };
        for key in [
            "resources",
            "principals",
            "policies",
            "coverage",
            "accounts",
            "activity",
            "activity_periods",
            "organizations",
        ] {
            for item in o.entry(key).or_insert_with(|| json!([])).as_array_mut().unwrap() {
                let item = item.as_object_mut().unwrap();
                item.entry("provider").or_insert(json!(provider));
                let graph = key == "principals"
                    || item
                        .get("resource_type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("Microsoft.Graph/"));
                if key != "policies" && key != "accounts" && key != "organizations" {
                    item.entry("account_id").or_insert(json!(if azure && graph { TENANT } else { account }));
                }
                if key == "principals" {
                    for k in ["name", "kind"] {
                        assert!(item.contains_key(k), "{}: a principal fixture needs {k}", rule.meta.id);
                    }
                }
            }
        }
        if o["accounts"].as_array().unwrap().is_empty() {
            let account = if azure {
                json!({"provider": "azure", "id": SUBSCRIPTION, "name": "fixture", "organization_id": TENANT})
            } else {
                json!({"provider": "aws", "id": ACCOUNT})
            };
            o.insert("accounts".into(), json!([account]));
        }
        if o["coverage"].as_array().unwrap().is_empty() {
            let status = if fail_needs { "failed" } else { "collected" };
            let coverage: Vec<Value> = rule
                .meta
                .needs
                .iter()
                .map(|n| {
                    let at = if azure && n.service == "graph" { TENANT } else { account };
                    let mut c = json!({"provider": provider, "account_id": at, "service": n.service,
                                       "operation": n.operation, "status": status, "detail": "fixture"});
                    if n.regional {
                        c["region"] = json!(REGION);
                    }
                    c
                })
                .collect();
            o.insert("coverage".into(), Value::Array(coverage));
        }
        fn parse<T: serde::de::DeserializeOwned>(id: &str, key: &str, records: &Value) -> T {
            serde_json::from_value(records.clone()).unwrap_or_else(|e| panic!("{id}: fixture {key}: {e}"))
        }
        let id = rule.meta.id;
        let mut snapshot = Snapshot::new("fixture");
        for (key, records) in o.iter() {
            match key.as_str() {
                "resources" => snapshot.resources = parse(id, key, records),
                "principals" => snapshot.principals = parse(id, key, records),
                "policies" => snapshot.policies = parse(id, key, records),
                "coverage" => snapshot.coverage = parse(id, key, records),
                "accounts" => snapshot.accounts = parse(id, key, records),
                "organizations" => snapshot.organizations = parse(id, key, records),
                "activity" => snapshot.activity = parse(id, key, records),
                "activity_periods" => snapshot.activity_periods = parse(id, key, records),
                "data_objects" => snapshot.data_objects = parse(id, key, records),
                other => panic!("{id}: unknown fixture key {other}"),
            }
        }
        snapshot
    }

    pub(crate) fn statuses(rule: &Rule, snapshot: &Snapshot) -> Vec<(FindingStatus, String)> {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let scan = Scan::new(snapshot, now);
        let mut out = Out::new(&rule.meta);
        (rule.check)(&scan, &mut out);
        out.findings
            .into_iter()
            .map(|f| (f.status, format!("{} {}: {}", f.status.as_str(), f.resource_id, f.message)))
            .collect()
    }

    /// Every rule fails on each of its failing fixtures, passes (and never fails) on each passing one, and, when
    /// the calls it reads were recorded as failed, says NOT_EVALUATED rather than PASS or FAIL.
    #[test]
    fn every_rule_meets_its_fixtures() {
        let mut problems = Vec::new();
        for rule in RULES {
            let id = rule.meta.id;
            if rule.fixtures.pass.is_empty() || rule.fixtures.fail.is_empty() {
                problems.push(format!("{id}: needs at least one passing and one failing fixture"));
            }
            for (i, fixture) in rule.fixtures.fail.iter().enumerate() {
                let got = statuses(rule, &snapshot(rule, fixture, false));
                if !got.iter().any(|(s, _)| *s == FindingStatus::Fail) {
                    problems.push(format!("{id}: failing fixture {i} gave no FAIL: {got:?}"));
                }
                if !rule.meta.needs.is_empty() {
                    let got = statuses(rule, &snapshot(rule, fixture, true));
                    if got.iter().any(|(s, _)| *s != FindingStatus::NotEvaluated) || got.is_empty() {
                        problems.push(format!("{id}: failing fixture {i} with its data not collected: {got:?}"));
                    }
                }
            }
            for (i, fixture) in rule.fixtures.pass.iter().enumerate() {
                let got = statuses(rule, &snapshot(rule, fixture, false));
                if !got.iter().any(|(s, _)| *s == FindingStatus::Pass)
                    || got.iter().any(|(s, _)| *s == FindingStatus::Fail)
                {
                    problems.push(format!("{id}: passing fixture {i}: {got:?}"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A scan whose output only counts passes gives the same verdicts, with bare PASS findings and whole others.
    #[test]
    fn counting_passes_only_keeps_every_verdict() {
        let mut custom = Vec::new();
        for rule in RULES {
            for (fixture, failing) in
                rule.fixtures.pass.iter().map(|f| (f, false)).chain(rule.fixtures.fail.iter().map(|f| (f, true)))
            {
                let snapshot = snapshot(rule, fixture, false);
                let now =
                    chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
                let scan = Scan::new(&snapshot, now);
                let mut runs = [true, false].map(|count_passes_only| {
                    let options = crate::Options {
                        rules: vec![rule.meta.id.to_string()],
                        now: Some(now),
                        count_passes_only,
                        unused_days: None,
                    };
                    let mut findings = Vec::new();
                    crate::run_streaming(&scan, &options, &mut custom, &mut |f| findings.push(f)).unwrap();
                    findings
                });
                let [lean, full] = &mut runs;
                assert_eq!(lean.len(), full.len(), "{}", rule.meta.id);
                for (l, f) in lean.iter().zip(full.iter()) {
                    assert_eq!((l.status, &l.rule_id, l.severity), (f.status, &f.rule_id, f.severity));
                    if l.status == FindingStatus::Pass {
                        assert!(l.resource_id.is_empty() && l.message.is_empty() && l.id.is_empty());
                    } else {
                        assert_eq!(l, f);
                    }
                }
                assert_eq!(failing, full.iter().any(|f| f.status == FindingStatus::Fail), "{}", rule.meta.id);
            }
        }
    }

    /// An Azure rule never judges what it could not see: with no coverage record at all, its PASS and FAIL findings
    /// are only about records the fixture holds, every subscription- and tenant-wide verdict is NOT_EVALUATED, and a
    /// rule that also reads other listings (locks, diagnostic settings, child resources) says NOT_EVALUATED only.
    #[test]
    fn azure_rules_without_coverage_judge_only_what_they_see() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
        for rule in RULES.iter().filter(|r| r.meta.provider() == sightline_model::Provider::Azure) {
            for fixture in rule.fixtures.pass.iter().chain(rule.fixtures.fail) {
                let mut snapshot = snapshot(rule, fixture, false);
                snapshot.coverage.clear();
                let held: std::collections::HashSet<&str> = snapshot.resources.iter().map(|r| r.id.as_str()).collect();
                let scan = Scan::new(&snapshot, now);
                let mut out = Out::new(&rule.meta);
                (rule.check)(&scan, &mut out);
                // A rule that reads listings beside its own resources' (locks, diagnostic settings, children)
                // cannot tell "none" from "not collected" without their coverage: it must not judge at all.
                let reads_more =
                    rule.meta.needs.iter().any(|n| {
                        !format!("{}/{}", n.service, n.operation).eq_ignore_ascii_case(rule.meta.resource_type)
                    });
                for f in &out.findings {
                    assert_eq!(f.provider, sightline_model::Provider::Azure, "{}", rule.meta.id);
                    assert!(
                        !reads_more || f.status == FindingStatus::NotEvaluated,
                        "{}: {} {} without coverage of the other listings it reads: {}",
                        rule.meta.id,
                        f.status.as_str(),
                        f.resource_id,
                        f.message
                    );
                    if f.status != FindingStatus::NotEvaluated {
                        assert!(
                            held.contains(f.resource_id.as_str()),
                            "{}: {} {} without coverage: {}",
                            rule.meta.id,
                            f.status.as_str(),
                            f.resource_id,
                            f.message
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            let m = &rule.meta;
            assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
            assert!(
                (m.id.starts_with("aws-") || m.id.starts_with("azure-"))
                    && m.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                m.id
            );
            assert!(!m.title.is_empty() && !m.rationale.is_empty() && !m.references.is_empty(), "{}", m.id);
            assert!(
                !m.remediation.console.is_empty()
                    && !m.remediation.cli.is_empty()
                    && !m.remediation.terraform.is_empty(),
                "{}",
                m.id
            );
        }
    }
}
