"""Spends moto's unauthenticated calls creating the identities the AWS integration tests use.

Usage: moto_setup.py ENDPOINT STATE_DIR

Makes exactly as many IAM calls as moto_server.sh allows without signatures (keep the two in
step): an IAM user with an access key and an allow-all inline policy, and a role anyone in the
account may assume, with an allow-all policy. Writes STATE_DIR/credentials (the user's keys as
profile "default") and STATE_DIR/identity.json (the user's and the role's ARNs).
"""
import json
import os
import sys

import boto3

ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def main(endpoint: str, state_dir: str) -> None:
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    user = iam.create_user(UserName="strata-test")["User"]
    key = iam.create_access_key(UserName="strata-test")["AccessKey"]
    iam.put_user_policy(UserName="strata-test", PolicyName="all", PolicyDocument=ALLOW_ALL)
    account = user["Arn"].split(":")[4]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="strata-test-role", AssumeRolePolicyDocument=trust)["Role"]
    iam.put_role_policy(RoleName="strata-test-role", PolicyName="all", PolicyDocument=ALLOW_ALL)

    credentials = os.path.join(state_dir, "credentials")
    with open(credentials, "w", encoding="utf-8") as f:
        f.write("[default]\n")
        f.write(f"aws_access_key_id = {key['AccessKeyId']}\n")
        f.write(f"aws_secret_access_key = {key['SecretAccessKey']}\n")
    os.chmod(credentials, 0o600)
    with open(os.path.join(state_dir, "identity.json"), "w", encoding="utf-8") as f:
        json.dump({"account": account, "user_arn": user["Arn"], "role_arn": role["Arn"],
                   "endpoint": endpoint}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
