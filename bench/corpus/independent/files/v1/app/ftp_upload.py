import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('bob', 'Tr0ub4dor5738#lFC')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
