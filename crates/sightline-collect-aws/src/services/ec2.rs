//! EC2 and VPC: regions; instances (metadata options, instance profiles, public IPs), launch templates (the
//! instance profile of their default and latest versions), security groups, network ACLs, VPCs, subnets, flow logs,
//! EBS volumes, owned snapshots and their public permissions, owned AMIs and their launch permissions, and EBS
//! encryption by default.

use crate::json::{b, compact, i, s, t};
use crate::out::Out;
use crate::record::Recorder;
use aws_sdk_ec2::types::{Filter, IpPermission};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::Snapshot;
use std::collections::BTreeMap;

const SERVICE: &str = "ec2";

/// The regions enabled for the account (`None` when they cannot be listed).
pub async fn enabled_regions(config: &SdkConfig, rec: &Recorder) -> Option<Vec<String>> {
    let client = aws_sdk_ec2::Client::new(config);
    let out = rec.fetch(SERVICE, None, "DescribeRegions", &[], client.describe_regions().send()).await.value()?;
    let mut regions: Vec<String> = out.regions().iter().filter_map(|r| r.region_name()).map(str::to_string).collect();
    regions.sort();
    Some(regions)
}

fn tags(list: &[aws_sdk_ec2::types::Tag]) -> BTreeMap<String, String> {
    list.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

fn permissions(list: &[IpPermission]) -> Value {
    Value::Array(
        list.iter()
            .map(|p| {
                compact(json!({
                    "IpProtocol": s(p.ip_protocol()), "FromPort": i(p.from_port()), "ToPort": i(p.to_port()),
                    "IpRanges": p.ip_ranges().iter().map(|r| r.cidr_ip()).collect::<Vec<_>>(),
                    "Ipv6Ranges": p.ipv6_ranges().iter().map(|r| r.cidr_ipv6()).collect::<Vec<_>>(),
                    "UserIdGroupPairs": p.user_id_group_pairs().iter().map(|g| g.group_id()).collect::<Vec<_>>(),
                    "PrefixListIds": p.prefix_list_ids().iter().map(|g| g.prefix_list_id()).collect::<Vec<_>>()
                }))
            })
            .collect(),
    )
}

/// Collects EC2 and VPC resources of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_ec2::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut out = Out::new(&account, &region, "ec2", '/');

    let mut pages = client.describe_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeInstances", &[], async { page }).await.value() else { break };
        for reservation in page.reservations() {
            for inst in reservation.instances() {
                let id = inst.instance_id().unwrap_or_default().to_string();
                let md = inst.metadata_options();
                let props = compact(json!({
                    "InstanceId": id, "ImageId": s(inst.image_id()), "InstanceType": inst.instance_type().map(|x| x.as_str()),
                    "State": inst.state().and_then(|x| x.name()).map(|x| x.as_str()), "LaunchTime": t(inst.launch_time()),
                    "VpcId": s(inst.vpc_id()), "SubnetId": s(inst.subnet_id()),
                    "PublicIpAddress": s(inst.public_ip_address()), "PrivateIpAddress": s(inst.private_ip_address()),
                    "IamInstanceProfile": inst.iam_instance_profile().map(|p| json!({"Arn": p.arn(), "Id": p.id()})),
                    "MetadataOptions": md.map(|m| compact(json!({
                        "HttpTokens": m.http_tokens().map(|x| x.as_str()), "HttpEndpoint": m.http_endpoint().map(|x| x.as_str()),
                        "HttpPutResponseHopLimit": i(m.http_put_response_hop_limit())
                    }))),
                    "SecurityGroups": inst.security_groups().iter().map(|g| json!({"GroupId": g.group_id(), "GroupName": g.group_name()})).collect::<Vec<_>>(),
                    "BlockDeviceMappings": inst.block_device_mappings().iter().map(|m| json!({"DeviceName": m.device_name(), "VolumeId": m.ebs().and_then(|e| e.volume_id())})).collect::<Vec<_>>()
                }));
                let arn = out.arn("instance", &id);
                out.push("AWS::EC2::Instance", arn, &id, tags(inst.tags()), props);
            }
        }
    }

    // Launch templates, with the instance profile of the versions Auto Scaling groups launch by alias ($Default and
    // $Latest); user data is left out (it may hold secrets and no check reads it).
    let mut pages = client.describe_launch_templates().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeLaunchTemplates", &[], async { page }).await.value() else {
            break;
        };
        for lt in page.launch_templates() {
            let Some(id) = lt.launch_template_id() else { continue };
            let call = client
                .describe_launch_template_versions()
                .launch_template_id(id)
                .set_versions(Some(vec!["$Default".to_string(), "$Latest".to_string()]))
                .send();
            // Without the versions the template is still recorded, with no profile: the gap is in the coverage.
            let versions = rec.fetch(SERVICE, r, "DescribeLaunchTemplateVersions", &[], call).await.value();
            let mut numbers = Vec::new();
            let versions: Vec<Value> = versions
                .iter()
                .flat_map(|v| v.launch_template_versions())
                // $Default and $Latest are often the same version: once is enough.
                .filter(|v| {
                    let first = !numbers.contains(&v.version_number());
                    numbers.push(v.version_number());
                    first
                })
                .map(|v| {
                    let profile = v.launch_template_data().and_then(|d| d.iam_instance_profile());
                    compact(json!({
                        "VersionNumber": i(v.version_number()), "DefaultVersion": b(v.default_version()),
                        "LaunchTemplateData": compact(json!({
                            "IamInstanceProfile": profile.map(|p| compact(json!({"Arn": s(p.arn()), "Name": s(p.name())}))),
                            "ImageId": s(v.launch_template_data().and_then(|d| d.image_id())),
                        })),
                    }))
                })
                .collect();
            let name = lt.launch_template_name().unwrap_or(id).to_string();
            let props = compact(json!({
                "LaunchTemplateId": id, "LaunchTemplateName": name, "CreateTime": t(lt.create_time()),
                "DefaultVersionNumber": i(lt.default_version_number()), "LatestVersionNumber": i(lt.latest_version_number()),
                "Versions": versions,
            }));
            let arn = out.arn("launch-template", id);
            out.push("AWS::EC2::LaunchTemplate", arn, &name, tags(lt.tags()), props);
        }
    }

    let mut pages = client.describe_security_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeSecurityGroups", &[], async { page }).await.value() else {
            break;
        };
        for g in page.security_groups() {
            let id = g.group_id().unwrap_or_default().to_string();
            let props = compact(json!({
                "GroupId": id, "GroupName": s(g.group_name()), "Description": s(g.description()), "VpcId": s(g.vpc_id()),
                "IpPermissions": permissions(g.ip_permissions()), "IpPermissionsEgress": permissions(g.ip_permissions_egress())
            }));
            let arn = out.arn("security-group", &id);
            out.push("AWS::EC2::SecurityGroup", arn, g.group_name().unwrap_or(&id), tags(g.tags()), props);
        }
    }

    let mut pages = client.describe_network_acls().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeNetworkAcls", &[], async { page }).await.value() else { break };
        for acl in page.network_acls() {
            let id = acl.network_acl_id().unwrap_or_default().to_string();
            let entries: Vec<Value> = acl
                .entries()
                .iter()
                .map(|e| {
                    compact(json!({
                        "RuleNumber": i(e.rule_number()), "Protocol": s(e.protocol()), "RuleAction": e.rule_action().map(|x| x.as_str()),
                        "Egress": b(e.egress()), "CidrBlock": s(e.cidr_block()), "Ipv6CidrBlock": s(e.ipv6_cidr_block()),
                        "PortRange": e.port_range().map(|p| json!({"From": p.from(), "To": p.to()}))
                    }))
                })
                .collect();
            let props = compact(
                json!({"NetworkAclId": id, "VpcId": s(acl.vpc_id()), "IsDefault": b(acl.is_default()), "Entries": entries}),
            );
            let arn = out.arn("network-acl", &id);
            out.push("AWS::EC2::NetworkAcl", arn, &id, tags(acl.tags()), props);
        }
    }

    let mut pages = client.describe_vpcs().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeVpcs", &[], async { page }).await.value() else { break };
        for v in page.vpcs() {
            let id = v.vpc_id().unwrap_or_default().to_string();
            let props = compact(
                json!({"VpcId": id, "CidrBlock": s(v.cidr_block()), "IsDefault": b(v.is_default()), "State": v.state().map(|x| x.as_str())}),
            );
            let arn = out.arn("vpc", &id);
            out.push("AWS::EC2::VPC", arn, &id, tags(v.tags()), props);
        }
    }

    let mut pages = client.describe_subnets().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeSubnets", &[], async { page }).await.value() else { break };
        for sn in page.subnets() {
            let id = sn.subnet_id().unwrap_or_default().to_string();
            let props = compact(json!({
                "SubnetId": id, "VpcId": s(sn.vpc_id()), "CidrBlock": s(sn.cidr_block()), "AvailabilityZone": s(sn.availability_zone()),
                "MapPublicIpOnLaunch": b(sn.map_public_ip_on_launch())
            }));
            let arn = out.arn("subnet", &id);
            out.push("AWS::EC2::Subnet", arn, &id, tags(sn.tags()), props);
        }
    }

    let mut pages = client.describe_flow_logs().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeFlowLogs", &[], async { page }).await.value() else { break };
        for f in page.flow_logs() {
            let id = f.flow_log_id().unwrap_or_default().to_string();
            let props = compact(json!({
                "FlowLogId": id, "ResourceId": s(f.resource_id()), "TrafficType": f.traffic_type().map(|x| x.as_str()),
                "LogDestinationType": f.log_destination_type().map(|x| x.as_str()), "LogDestination": s(f.log_destination()),
                "LogGroupName": s(f.log_group_name()), "FlowLogStatus": s(f.flow_log_status())
            }));
            let arn = out.arn("vpc-flow-log", &id);
            out.push("AWS::EC2::FlowLog", arn, &id, tags(f.tags()), props);
        }
    }

    let mut pages = client.describe_volumes().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeVolumes", &[], async { page }).await.value() else { break };
        for v in page.volumes() {
            let id = v.volume_id().unwrap_or_default().to_string();
            let props = compact(json!({
                "VolumeId": id, "Encrypted": b(v.encrypted()), "KmsKeyId": s(v.kms_key_id()), "Size": i(v.size()),
                "State": v.state().map(|x| x.as_str()), "AvailabilityZone": s(v.availability_zone()),
                "Attachments": v.attachments().iter().map(|a| json!({"InstanceId": a.instance_id()})).collect::<Vec<_>>()
            }));
            let arn = out.arn("volume", &id);
            out.push("AWS::EC2::Volume", arn, &id, tags(v.tags()), props);
        }
    }

    let mut pages = client.describe_snapshots().owner_ids("self").into_paginator().send();
    let mut snapshot_ids = Vec::new();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeSnapshots", &[], async { page }).await.value() else { break };
        for sn in page.snapshots() {
            let id = sn.snapshot_id().unwrap_or_default().to_string();
            snapshot_ids.push(id.clone());
            let props = compact(json!({
                "SnapshotId": id, "VolumeId": s(sn.volume_id()), "Encrypted": b(sn.encrypted()), "KmsKeyId": s(sn.kms_key_id()),
                "StartTime": t(sn.start_time()), "State": sn.state().map(|x| x.as_str())
            }));
            let arn = format!("arn:aws:ec2:{}::snapshot/{id}", region);
            out.push("AWS::EC2::Snapshot", arn, &id, tags(sn.tags()), props);
        }
    }
    for id in snapshot_ids {
        let call = client
            .describe_snapshot_attribute()
            .snapshot_id(&id)
            .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
            .send();
        if let Some(attr) = rec.fetch(SERVICE, r, "DescribeSnapshotAttribute", &[], call).await.value() {
            let perms: Vec<Value> = attr
                .create_volume_permissions()
                .iter()
                .map(|p| compact(json!({"Group": p.group().map(|g| g.as_str()), "UserId": s(p.user_id())})))
                .collect();
            if let Some(res) =
                out.snapshot.resources.iter_mut().find(|x| x.name == id && x.resource_type == "AWS::EC2::Snapshot")
            {
                res.properties.insert("CreateVolumePermissions", Value::Array(perms).into());
            }
        }
    }

    let call = client.describe_images().owners("self").send();
    if let Some(page) = rec.fetch(SERVICE, r, "DescribeImages", &[], call).await.value() {
        for img in page.images() {
            let id = img.image_id().unwrap_or_default().to_string();
            let call = client
                .describe_image_attribute()
                .image_id(&id)
                .attribute(aws_sdk_ec2::types::ImageAttributeName::LaunchPermission)
                .send();
            let launch = rec.fetch(SERVICE, r, "DescribeImageAttribute", &[], call).await.value().map(|a| {
                a.launch_permissions()
                    .iter()
                    .map(|p| compact(json!({"Group": p.group().map(|g| g.as_str()), "UserId": s(p.user_id())})))
                    .collect::<Vec<_>>()
            });
            let props = compact(json!({
                "ImageId": id, "Name": s(img.name()), "Public": b(img.public()), "State": img.state().map(|x| x.as_str()),
                "CreationDate": s(img.creation_date()), "LaunchPermissions": launch
            }));
            let arn = format!("arn:aws:ec2:{}::image/{id}", region);
            out.push("AWS::EC2::Image", arn, img.name().unwrap_or(&id), tags(img.tags()), props);
        }
    }

    let call = client.get_ebs_encryption_by_default().send();
    if let Some(enc) = rec.fetch(SERVICE, r, "GetEbsEncryptionByDefault", &[], call).await.value() {
        let arn = format!("arn:aws:ec2:{}:{}:ebs-encryption-by-default", region, account);
        out.push(
            "AWS::EC2::EBSEncryptionByDefault",
            arn,
            "EBS encryption by default",
            BTreeMap::new(),
            json!({"EbsEncryptionByDefault": enc.ebs_encryption_by_default()}),
        );
    }
    let _ = Filter::builder();
    out.snapshot
}
