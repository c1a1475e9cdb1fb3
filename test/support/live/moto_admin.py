"""What the live suite asks of moto, the AWS emulator: create IAM roles and assume them, and REST APIs.

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
elif action == "create-rest-api":
    # A REST API with one POST method, as a gateway cell stack creates it, tagged with its gateway.
    apigw = session.client("apigateway", endpoint_url=endpoint)
    api = apigw.create_rest_api(name=request["name"], tags=request.get("tags", {}))
    root = next(r for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/")
    resource = apigw.create_resource(restApiId=api["id"], parentId=root["id"], pathPart="chat")
    apigw.put_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="POST", authorizationType="AWS_IAM")
    apigw.put_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod="POST", type="MOCK")
    print(json.dumps({"id": api["id"], "resourceId": resource["id"]}))
elif action == "deployments":
    apigw = session.client("apigateway", endpoint_url=endpoint)
    print(json.dumps(sorted(d["id"] for d in apigw.get_deployments(restApiId=request["restApiId"])["items"])))
elif action == "create-stage":
    apigw = session.client("apigateway", endpoint_url=endpoint)
    apigw.create_stage(restApiId=request["restApiId"], stageName=request["stageName"], deploymentId=request["deploymentId"])
    print("{}")
else:
    raise SystemExit(f"unknown action {action}")
