"""What the live suite asks of moto, the AWS emulator: create IAM roles and assume them.

Reads one JSON request on stdin, writes one JSON answer on stdout. Credentials go to stdout only,
to the harness that asked; nothing is logged. Run with the engines' venv (boto3 comes with moto).
"""
import json
import sys

import boto3

request = json.load(sys.stdin)
endpoint = request["endpoint"]
# moto accepts any credentials for its own administration; these are not secrets.
session = boto3.session.Session(aws_access_key_id="moto-admin", aws_secret_access_key="moto-admin", region_name=request.get("region", "us-east-1"))
iam = session.client("iam", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)
action = request["action"]

if action == "create-roles":
    created = {}
    for role in request["roles"]:
        path = role.get("path", "/")
        try:
            answer = iam.create_role(RoleName=role["name"], Path=path, AssumeRolePolicyDocument=json.dumps(role["trust"]), MaxSessionDuration=3600)
        except iam.exceptions.EntityAlreadyExistsException:
            answer = iam.get_role(RoleName=role["name"])
        created[role["name"]] = {"arn": answer["Role"]["Arn"], "roleId": answer["Role"]["RoleId"]}
    print(json.dumps(created))
elif action == "delete-role":
    iam.delete_role(RoleName=request["name"])
    print("{}")
elif action == "assume-role":
    answer = sts.assume_role(RoleArn=request["roleArn"], RoleSessionName=request["session"], DurationSeconds=request.get("seconds", 3600))
    c = answer["Credentials"]
    print(json.dumps({"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"],
                      "arn": answer["AssumedRoleUser"]["Arn"]}))
elif action == "whoami":
    creds = request["credentials"]
    own = boto3.session.Session(aws_access_key_id=creds["accessKeyId"], aws_secret_access_key=creds["secretAccessKey"],
                                aws_session_token=creds.get("sessionToken"), region_name="us-east-1").client("sts", endpoint_url=endpoint)
    print(json.dumps(own.get_caller_identity()["Arn"]))
else:
    raise SystemExit(f"unknown action {action}")
