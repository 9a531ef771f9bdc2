def main():
    webhook = "https://mycompany.webhook.office.com/webhookb2/6zyp5abc-95oe-qr7w-dpkz-ejcr2hubspr4@s1zzdh7u-z2e5-g1j9-j2qn-gxadreclbzia/IncomingWebhook/9w30n4elvrl9f844lra09hqqykuwfzoe/1i476glp-bi8u-8qu3-o76j-2u9vw0l6cbox"
    return webhook
