"""SAM-transforms a template as `sam deploy` has CloudFormation do it, and prints each function's
AWS::Lambda::Version as CloudFormation will see it: {function: {"logical_id", "description"}}, the
description with the template parameters resolved (SAM's own IntrinsicsResolver, as CloudFormation
resolves them at deploy time).

usage: python3 sam_versions.py TEMPLATE PARAMETER_SETS_JSON   (a list of {parameter: value}; one line out per set)
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator wants a region for pseudo parameters

from samtranslator.intrinsics.resolver import IntrinsicsResolver  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402


class NoManagedPolicies:
    def load(self):
        return {}


def versions(template_path, parameters):
    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    # what `sam package` leaves: local paths replaced by S3 URIs
    template.get("Globals", {}).get("Function", {})["CodeUri"] = "s3://artifacts/functions.zip"
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if "CodeUri" in props:
            props["CodeUri"] = "s3://artifacts/functions.zip"
        if "DefinitionUri" in props:
            props["DefinitionUri"] = "s3://artifacts/definition.json"
    out = transform(template, {name: str(v) for name, v in parameters.items()}, NoManagedPolicies())
    # CloudFormation hands every parameter value over as a string
    values = {name: str(p.get("Default")) for name, p in template.get("Parameters", {}).items()}
    values.update({name: str(v) for name, v in parameters.items()})
    resolver = IntrinsicsResolver(values)
    found = {}
    for logical_id, resource in out["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Version":
            continue
        function = resource["Properties"]["FunctionName"]["Ref"]
        description = resolver.resolve_parameter_refs(resource["Properties"].get("Description"))
        if isinstance(description, dict) and isinstance(description.get("Fn::Sub"), str):
            description = description["Fn::Sub"]
        found[function] = {"logical_id": logical_id, "description": description}
    return found


if __name__ == "__main__":
    for parameter_set in json.loads(sys.argv[2]):
        print(json.dumps(versions(sys.argv[1], parameter_set), sort_keys=True))
